from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from goodskin.policies.in_force import after_notice_period
from goodskin.policies.models import Document, PolicyVersion, VersionStatus
from goodskin.policies.queries import governing, material_versions_announced
from goodskin.policies.views import TITLES


def policy_changes(request: HttpRequest) -> dict[str, Any]:
    """The prominent notice of a material change, on every page while it may still be news to the
    reader: for visitors during the 30 days after posting; for signed-in people until the new
    version governs them. One indexed query when nothing is pending."""
    now = timezone.now()
    if not material_versions_announced(since=now - timedelta(days=62), until=now):
        return {}
    pending = [
        version
        for version in PolicyVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            material=True,
            announced_at__lte=now,
            announced_at__gte=now - timedelta(days=62),
        ).order_by("document", "-number")
        if after_notice_period(version.announced_at) > now  # type: ignore[arg-type]  # set when published
        or request.user.is_authenticated
    ]
    if not pending:
        return {}
    user = request.user
    if user.is_authenticated:
        person = getattr(user, "person", None)
        pending = [
            version
            for version in pending
            if governing(person=person, at=now, document=version.document).upcoming is not None
        ]

    return {
        "policy_changes": [(version, TITLES[Document(version.document)]) for version in pending[:1]]
    }
