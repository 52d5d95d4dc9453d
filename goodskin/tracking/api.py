"""`POST /api/v1/collect`: the site's own analytics beacon. Strict: anything odd is a 400 with a
sentence saying what, never a 500, and nothing is stored from a rejected batch."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Field, Router
from pydantic import ValidationError

from goodskin.consent.middleware import privacy_state
from goodskin.core.doors import public_door
from goodskin.core.network import client_address
from goodskin.core.schemas import (
    JSON_ONLY,
    InputSchema,
    explain_validation,
    inline_schema,
    sent_as_json,
)
from goodskin.tracking import actions
from goodskin.tracking.minimise import (
    daily_visitor,
    describe,
    referrer_host,
    screen_bucket,
    truncate_ip,
)
from goodskin.tracking.routes import site_page

router = Router(tags=["analytics"])
MAX_BODY = 16 * 1024
VISITOR_COOKIE = "gs_vid"
VISITOR_COOKIE_AGE = 395 * 24 * 60 * 60  # 13 months, like the events


# The latest moment a millisecond timestamp may name (9999-12-31): later ones cannot be a date.
LAST_MILLISECOND = 253_402_300_799_999


class EventIn(InputSchema):
    type: Literal["page_view", "book_click", "form_start", "form_submit"]
    path: str = Field(max_length=200, examples=["/services/"])
    previous_path: str = Field("", max_length=200, examples=["/"])
    referrer: str = Field("", max_length=500, examples=["https://www.google.com/"])
    screen_width: int = Field(0, ge=0, le=10000, strict=True)
    screen_height: int = Field(0, ge=0, le=10000, strict=True)
    ts: int | None = Field(
        None,
        ge=0,
        le=LAST_MILLISECOND,
        strict=True,
        description="Milliseconds since the epoch; the server's clock if absent.",
    )


class CollectIn(InputSchema):
    events: list[EventIn] = Field(min_length=1, max_length=20)


def _bad(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def _explain(error: ValidationError) -> str:
    first = error.errors()[0]
    if first["type"] == "literal_error":
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: unknown event type; use page_view, book_click, form_start or form_submit"
    return explain_validation(error)


@router.post(
    "/collect",
    response={
        204: None,
        400: dict[str, str],
        403: dict[str, str],
        413: dict[str, str],
        429: dict[str, str],
    },
    summary="Record page views and actions (the site's own analytics)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": inline_schema(CollectIn)}},
        }
    },
)
@public_door
def collect(request: HttpRequest) -> HttpResponse:
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.get_host():
        return _bad("events are accepted only from this site's own pages", 403)
    if not sent_as_json(request):
        return _bad(JSON_ONLY, 415)
    if len(request.body) > MAX_BODY:
        return _bad(f"the batch is larger than {MAX_BODY // 1024} KB; send fewer events", 413)
    try:
        payload = CollectIn.model_validate_json(request.body or b"")
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors()):
            return _bad("the body is not valid JSON")
        return _bad(_explain(error))
    device = describe(request.headers.get("User-Agent", ""))
    if device is None:
        return HttpResponse(status=204)  # bots and crawlers are not counted
    now = timezone.now()
    incoming = []
    for index, event in enumerate(payload.events):
        occurred = now if event.ts is None else datetime.fromtimestamp(event.ts / 1000, tz=UTC)
        if occurred > now + timedelta(minutes=1):
            return _bad(f"events.{index}.ts: the time is in the future")
        if occurred < now - timedelta(days=1):
            return _bad(f"events.{index}.ts: the time is more than a day old")
        path = site_page(event.path)
        if not path:
            return _bad(
                f"events.{index}.path: give the path of a page on this site, like /services/"
            )
        incoming.append(
            actions.Incoming(
                kind=event.type,
                occurred_at=occurred,
                path=path,
                previous_path=site_page(event.previous_path),
                referrer_host=referrer_host(
                    event.referrer, own_host=request.get_host().split(":")[0]
                ),
                screen=screen_bucket(event.screen_width, event.screen_height)
                if event.screen_width
                else "",
            )
        )
    sender = client_address(request)
    state = getattr(request, "privacy", None) or privacy_state(request)
    consented = bool(state.applied.analytics)
    ip_prefix = truncate_ip(sender)
    new_visitor_cookie = None
    if consented:
        visitor = request.COOKIES.get(VISITOR_COOKIE, "")
        if len(visitor) != 32 or not visitor.isalnum():
            visitor = new_visitor_cookie = secrets.token_hex(16)
    else:
        visitor = daily_visitor(
            secret=settings.SECRET_KEY.encode(),
            day=now.date(),
            ip_prefix=ip_prefix,
            user_agent=request.headers.get("User-Agent", ""),
        )
    try:
        actions.record_events(
            events=incoming,
            visitor=visitor,
            consented=consented,
            ip_prefix=ip_prefix,
            device=device,
            language=request.headers.get("Accept-Language", "").split(",")[0].strip()[:16],
            sender_address=sender,
            now=now,
        )
    except actions.TooManyEvents:
        return _bad("too many events from this address; wait a minute", 429)
    response = HttpResponse(status=204)
    if new_visitor_cookie:
        response.set_cookie(
            VISITOR_COOKIE,
            new_visitor_cookie,
            max_age=VISITOR_COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    elif not consented and VISITOR_COOKIE in request.COOKIES:
        response.delete_cookie(VISITOR_COOKIE)  # consent withdrawn: the id goes
    return response
