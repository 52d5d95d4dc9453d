"""`GET /api/v1/policies/in-force`: which version of a policy governed a person at a moment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Router, Schema
from ninja.params.functions import Query

from goodskin.core.doors import Door, declares
from goodskin.policies.models import Document
from goodskin.policies.queries import governing
from goodskin.vault.models import Person

router = Router(tags=["policies"])
IN_FORCE = Door(see="policies.view_versions")


class InForceOut(Schema):
    person: int
    at: str
    document: str
    version: int | None
    material: bool | None
    posted: str | None
    upcoming: int | None


@router.get(
    "/policies/in-force",
    response={200: InForceOut, 400: dict[str, str], 403: dict[str, str], 404: dict[str, str]},
)
@declares(IN_FORCE)
def policy_in_force(
    request: HttpRequest,
    at: str,
    person: Annotated[int, Query(ge=1, le=2**63 - 1)],
    document: str = "privacy",
) -> object:
    """Staff only: which version of a policy governed a person at a moment, the one a dispute
    that arose then is decided under."""
    if not IN_FORCE.lets(request.user, "GET"):
        return JsonResponse(
            {"detail": "Staff whose role includes seeing policy versions only: sign in first."},
            status=403,
        )
    if document not in Document.values:
        return JsonResponse({"detail": "document: use privacy, state_notice or terms."}, status=400)
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return JsonResponse(
            {"detail": "at: give a date and time like 2027-03-01T09:00:00-08:00."}, status=400
        )
    if timezone.is_naive(moment):
        return JsonResponse(
            {"detail": "at: give the time zone too, like 2027-03-01T09:00:00-08:00."}, status=400
        )
    subject = Person.objects.filter(pk=person).first()
    if subject is None:
        return JsonResponse({"detail": "person: no such person."}, status=404)
    state = governing(person=subject, at=moment, document=document)
    version = state.version
    return {
        "person": subject.pk,
        "at": moment.isoformat(),
        "document": document,
        "version": version.number if version else None,
        "material": version.material if version else None,
        "posted": version.published_at.isoformat() if version and version.published_at else None,
        "upcoming": state.upcoming.number if state.upcoming else None,
    }
