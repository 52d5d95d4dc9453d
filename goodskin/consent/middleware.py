"""Reading the privacy signals of each request, recording a new GPC signal (one write, once per
browser), and telling a browser that still allows marketing that its person has since opted out by
privacy request (one read, for such browsers only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from goodskin.consent import actions
from goodskin.consent.choices import parse_gpc
from goodskin.consent.state import COOKIE, COOKIE_MAX_AGE, PrivacyState, read_cookie
from goodskin.core.network import client_address


def privacy_state(request: HttpRequest) -> PrivacyState:
    # Straight from META: `request.headers` would build a case-insensitive copy of every header.
    gpc = request.META.get("HTTP_SEC_GPC")
    stored = read_cookie(request.COOKIES.get(COOKIE))
    return PrivacyState(
        gpc=parse_gpc([gpc]) if gpc is not None else False,
        dnt=request.META.get("HTTP_DNT", "").strip() == "1",
        browser_id=stored[0] if stored else None,
        choices=stored[1] if stored else None,
        gpc_recorded=stored[2] if stored else False,
    )


def set_consent_cookie(response: HttpResponse, value: str, *, secure: bool) -> None:
    response.set_cookie(
        COOKIE, value, max_age=COOKIE_MAX_AGE, secure=secure, httponly=True, samesite="Lax"
    )


def read_privacy_signals(request: HttpRequest) -> str | None:
    """Set `request.privacy` for the request; record a new GPC signal (once per browser) and
    carry an opt-out made by privacy request to this browser. Returns the consent cookie the
    response must set, or None. Run by config.middleware.SiteMiddleware, with the actor set."""
    state = privacy_state(request)
    new_cookie = None
    if request.method in {"GET", "HEAD"}:
        reconciled = actions.reconcile(state=state)
        if reconciled is not None:
            state, new_cookie = reconciled
    if (
        state.gpc
        and not state.gpc_recorded
        and request.method in {"GET", "HEAD"}
        and actions.may_record_signal(client_address=client_address(request))
    ):
        user = getattr(request, "user", None)
        person = (
            getattr(user, "person", None) if user is not None and user.is_authenticated else None
        )
        state, new_cookie = actions.record_opt_out_signal(
            state=state, language=translation.get_language() or "en", person=person
        )
    request.privacy = state  # type: ignore[attr-defined]  # the request's privacy signals
    return new_cookie
