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

It also does what Django's CommonMiddleware did, without a layer of its own: the host is checked
against ALLOWED_HOSTS on every request, a 404 for a path missing its slash is redirected, and
Content-Length is set. Two of Django's layers are kept but made lazy (ADR 0051): flash messages are
read only when something asks for them, and the Content-Security-Policy header, the same for every
response that uses no nonce, is built once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import cast

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.middleware.common import CommonMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.csp import CSP, build_policy
from django.utils.functional import SimpleLazyObject, empty

from goodskin.consent.middleware import read_privacy_signals, set_consent_cookie
from goodskin.consent.state import COOKIE
from goodskin.core import context
from goodskin.core.middleware import ENGLISH_ONLY, staff_session_over

_ENFORCE = str(CSP.HEADER_ENFORCE)  # a plain str: WSGI servers refuse str subclasses as names
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
        self.common = CommonMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self.common.process_request(request)  # the host check, and PREPEND_WWW
        if redirect is not None:
            return redirect
        request_id = context.new_request_id()
        language = _language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        actor = context.ANONYMOUS
        # Without a session cookie nobody is signed in: the lazy user is left unread.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                if user.is_staff and staff_session_over(request, timezone.now()):
                    with context.acting_as(context.Actor.user(user.pk), request_id=request_id):
                        logout(request)  # audited as a sign-out; the page asks them to sign in
                else:
                    actor = context.Actor.user(user.pk)
        with context.acting_as(actor, request_id=request_id), context.request_scope():
            new_cookie = read_privacy_signals(request)
            response = self.get_response(request)
        headers = response.headers
        headers["X-Request-Id"] = request_id
        if "Permissions-Policy" not in headers:
            headers["Permissions-Policy"] = self.permissions_policy
        if "Vary" in headers:
            patch_vary_headers(response, ("Accept-Language",))
        else:
            headers["Vary"] = "Accept-Language"
        if "Content-Language" not in headers:
            headers["Content-Language"] = translation.get_language() or language
        if new_cookie is not None and COOKIE not in response.cookies:
            set_consent_cookie(response, new_cookie, secure=request.is_secure())
        answered = self.common.process_response(request, response)  # the slash, Content-Length
        assert isinstance(answered, HttpResponse)  # noqa: S101  (a redirect, or the response)
        return answered


class LazyMessageMiddleware(MessageMiddleware):
    """Django's flash messages, read from their cookie only when a page or a view asks for them:
    most responses never do, and building the storage (a cookie signer) was a tenth of the
    stack. Nothing read means nothing to write back, so the response is left alone."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)


class KeptPolicyMiddleware(ContentSecurityPolicyMiddleware):
    """Django's Content-Security-Policy header, built once for the site's settings rather than on
    every response. A response whose page used a nonce, or whose view set its own policy, is
    built as Django builds it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)
        self._kept: tuple[object, str] | None = None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        config = cast(Mapping[str, Collection[str] | str], settings.SECURE_CSP)
        if (
            not config
            or getattr(request, "_csp_nonce", None)  # a LazyNonce is true once it was used
            or hasattr(response, "_csp_config")
            or hasattr(response, "_csp_ro_config")
            or settings.SECURE_CSP_REPORT_ONLY
            or _ENFORCE in response
        ):
            return super().process_response(request, response)
        if self._kept is None or self._kept[0] is not config:  # settings changed (in tests)
            self._kept = (config, build_policy(config))
        response.headers[_ENFORCE] = self._kept[1]
        return response
