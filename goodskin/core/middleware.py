"""Per-request context and the response headers Django has no setting for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import timezone, translation

from goodskin.core import context


class RequestContextMiddleware:
    """Give every request an id (echoed as X-Request-Id) and the Permissions-Policy header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy: str = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = context.new_request_id()
        with context.acting_as(context.ANONYMOUS, request_id=request_id):
            response = self.get_response(request)
        response["X-Request-Id"] = request_id
        response.setdefault("Permissions-Policy", self.permissions_policy)
        return response


STAFF_SINCE, STAFF_SEEN = "staff_signed_in_at", "staff_last_seen_at"
# When the staff member last gave their second factor (accounts.factors): a staff session
# without it was never finished, whatever made it, and is ended.
SECOND_FACTOR_AT = "staff_second_factor_at"


def staff_session_over(request: HttpRequest, now: datetime) -> bool:
    """Staff sessions are shorter than patients': they end after STAFF_IDLE_MINUTES without a
    request and STAFF_SESSION_HOURS after sign-in, however busy (45 CFR 164.312(a)(2)(iii)),
    and at once when the second factor was never given (164.312(d))."""
    session = request.session
    if session.get(SECOND_FACTOR_AT) is None:
        return True
    since, seen = session.get(STAFF_SINCE), session.get(STAFF_SEEN)
    if since is None or seen is None:
        session[STAFF_SINCE] = session[STAFF_SEEN] = now.timestamp()
        return False
    idle = now.timestamp() - seen > settings.STAFF_IDLE_MINUTES * 60
    too_long = now.timestamp() - since > settings.STAFF_SESSION_HOURS * 3600
    if idle or too_long:
        return True
    session[STAFF_SEEN] = now.timestamp()
    return False


class ActorContextMiddleware:
    """After authentication: end a staff session that has run out, then make the signed-in user
    the actor of everything this request does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if user.is_staff and staff_session_over(request, timezone.now()):
            logout(request)  # audited as a sign-out; the page then asks them to sign in again
            return self.get_response(request)
        with context.acting_as(context.Actor.user(user.pk)):
            return self.get_response(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """The site speaks the visitor's language; the staff console is written in English only, so
    it is served in English (with `lang="en"`) whatever the language switch says, rather than
    half translated by Django's own admin strings."""

    ENGLISH_ONLY = ("/console/", "/admin/")

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(self.ENGLISH_ONLY):
            translation.activate("en")
            request.LANGUAGE_CODE = "en"
            return
        super().process_request(request)
