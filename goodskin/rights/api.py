"""`POST /api/v1/rights/requests`: the same intake as the form, for apps and partners. Authorised
agents use the form or write to us: their signed permission is a document, not a JSON field."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from goodskin.core import throttle
from goodskin.core.doors import public_door
from goodskin.core.network import client_address
from goodskin.core.schemas import InputSchema
from goodskin.core.validation import clean_email_address
from goodskin.jurisdictions.privacy import US_STATES
from goodskin.rights.actions import intake
from goodskin.rights.models import Channel, RequestKind
from goodskin.rights.views import REQUESTS_PER_HOUR
from goodskin.vault.corrections import Item

router = Router(tags=["rights"])
StateCode = StrEnum("StateCode", {code: code for code in sorted(US_STATES | {"US"})})  # type: ignore[misc]  # a functional enum from the names table


class RequestIn(InputSchema):
    kind: RequestKind
    state: StateCode = Field(description="Two-letter state code in capitals, or US")
    email: str = Field(max_length=254, examples=["rosa@example.com"])
    details: str = Field("", max_length=2000, examples=["My old address is still on file."])
    correct_items: list[Item] = Field(
        default_factory=list,
        max_length=4,
        description="For kind=correct: the pieces that are wrong",
    )
    language: str = Field("en", pattern="^(en|es)$")
    appeal_of: str = Field("", max_length=14, description="For an appeal: the reference appealed")
    child_email: str = Field("", max_length=254, description="For kind=child: the child's address")


class RequestOut(Schema):
    reference: str
    status: str
    received_on: date
    due_on: date
    next_step: str


@router.post(
    "/rights/requests", response={201: RequestOut, 400: dict[str, str], 429: dict[str, str]}
)
@public_door
def create_request(request: HttpRequest, payload: RequestIn) -> object:
    addresses = {}
    for field in ("email", "child_email"):
        given = getattr(payload, field)
        try:
            addresses[field] = clean_email_address(given) if given or field == "email" else ""
        except ValidationError as error:
            return JsonResponse({"detail": f"{field}: {' '.join(error.messages)}"}, status=400)
    client = client_address(request)
    if not throttle.attempt((REQUESTS_PER_HOUR, client), now=timezone.now()):
        return JsonResponse(
            {"detail": "Too many requests from this address; try in an hour."}, status=429
        )
    try:
        opened = intake.open_request(
            kind=str(payload.kind),
            email=addresses["email"],
            state=str(payload.state),
            details=payload.details,
            correct_items=[str(item) for item in payload.correct_items],
            today=timezone.localdate(),
            channel=Channel.API,
            language=payload.language,
            appeal_of=payload.appeal_of,
            child_email=addresses["child_email"],
        )
    except intake.RequestRefused as error:
        throttle.refund(REQUESTS_PER_HOUR, client)  # nothing was opened
        return JsonResponse({"detail": f"{error.field}: {error}"}, status=error.status)
    data_request = opened.request
    return Status(
        201,
        {
            "reference": data_request.reference,
            "status": data_request.status,
            "received_on": data_request.received_on,
            "due_on": data_request.due_on,
            "next_step": (
                "Enter the code we emailed at /privacy/request/verify/"
                if opened.needs_code
                else "Nothing: we will answer by email."
            ),
        },
    )
