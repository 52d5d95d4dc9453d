"""The site's own work on every request, in one middleware placed after Django's authentication.

It was four (request context, language, actor, privacy signals), each a layer of calls around the
view and each reading the request again; together they were a third of the stack's cost. In order:

1. a request id (echoed as X-Request-Id) and the actor for the audit log — the signed-in user, or
   anonymous — for everything the request does; a staff session that has run out is ended first
   (core.middleware.staff_session_over);
2. the language: the console is English only; elsewhere the language cookie, then the browser's
   Accept-Language, as Django's LocaleMiddleware decides it, remembered per (cookie, header) pair;
3. the privacy signals (consent.middleware): GPC and DNT read, a new GPC signal recorded once per
   browser, an opt-out made by privacy request carried to this browser;
4. on the way out: Permissions-Policy, Content-Language, Vary: Accept-Language, the consent cookie.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from goodskin.consent.middleware import read_privacy_signals, set_consent_cookie
from goodskin.consent.state import COOKIE
from goodskin.core import context
from goodskin.core.middleware import ENGLISH_ONLY, staff_session_over

_LANGUAGES: dict[tuple[str | None, str], str] = {}
_REMEMBERED_LANGUAGES = 1024


def _language(request: HttpRequest) -> str:
    if request.path_info.startswith(ENGLISH_ONLY):
        return "en"
    key = (
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
    )
    language = _LANGUAGES.get(key)
    if language is None:
        language = translation.get_language_from_request(request)
        if len(_LANGUAGES) >= _REMEMBERED_LANGUAGES:
            _LANGUAGES.clear()  # any browser's header may be new: never let the table grow
        _LANGUAGES[key] = language
    return language


class SiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy: str = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = context.new_request_id()
        language = _language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        user = getattr(request, "user", None)
        actor = context.ANONYMOUS
        if user is not None and user.is_authenticated:
            if user.is_staff and staff_session_over(request, timezone.now()):
                with context.acting_as(context.Actor.user(user.pk), request_id=request_id):
                    logout(request)  # audited as a sign-out; the page asks them to sign in
            else:
                actor = context.Actor.user(user.pk)
        with context.acting_as(actor, request_id=request_id):
            new_cookie = read_privacy_signals(request)
            response = self.get_response(request)
        response["X-Request-Id"] = request_id
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language() or language)
        if new_cookie is not None and COOKIE not in response.cookies:
            set_consent_cookie(response, new_cookie, secure=request.is_secure())
        return response
