"""`POST /api/v1/sms/inbound`: replies to our texts, forwarded by the SMS provider.

Carriers require STOP (and its synonyms) to end marketing texts at once; this is where that reaches
us. The provider authenticates with a shared secret; the sender's number is the only personal value
and is used, never stored in clear (a keyed fingerprint, docs/adr/0012).
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Router

from goodskin.communications.actions import choices
from goodskin.core.context import Actor, acting_as
from goodskin.core.doors import public_door
from goodskin.core.schemas import InputSchema
from goodskin.core.validation import clean_phone_number

router = Router(tags=["communications"])

# CTIA's standard opt-out keywords.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})


class InboundSmsIn(InputSchema):
    sender: str = Field(alias="from", max_length=32, examples=["+13105550123"])
    body: str = Field(max_length=1600, examples=["STOP"])


@router.post(
    "/sms/inbound",
    response={204: None, 400: dict[str, str], 403: dict[str, str], 404: dict[str, str]},
    auth=None,
)
@public_door
def inbound_sms(request: HttpRequest, payload: InboundSmsIn) -> HttpResponse:
    secret = settings.SMS_WEBHOOK_SECRET
    if not secret:
        # A site without an SMS provider has no such endpoint: not an outage (a 503 would make a
        # provider retry, and fill our error log with one line per call).
        return JsonResponse({"detail": "inbound text messages are not set up here"}, status=404)
    given = request.headers.get("X-GoodSkin-Webhook-Secret", "")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"detail": "the webhook secret is missing or wrong"}, status=403)
    try:
        phone = clean_phone_number(payload.sender)
    except ValidationError:
        return JsonResponse({"detail": "from: not a valid phone number"}, status=400)
    if payload.body.strip().upper() in STOP_WORDS:
        with acting_as(Actor.system("sms-inbound")):
            choices.record_sms_stop(phone=phone)
    return HttpResponse(status=204)
