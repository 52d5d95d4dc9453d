"""The second step of a staff sign-in, a staff member's own sign-in settings, and invitations.

These pages sit in the English-only console. The second-factor pages are open doors by design:
the person is not signed in yet; what lets them through is the session's note that their
password was right a few minutes ago (`factors.pending_user`).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from goodskin.accounts import factors
from goodskin.accounts.models import SecondFactor, User
from goodskin.core.console import console_page
from goodskin.core.doors import public_door, staff_door

ENROL_SECRET = "second_factor_enrol_secret"  # noqa: S105  (a session key's name)


def _enrol_page(
    request: HttpRequest, user: User, *, error: str = "", status: int = 200, field: str = ""
) -> HttpResponse:
    secret = request.session.get(ENROL_SECRET)
    if not secret:
        secret = request.session[ENROL_SECRET] = factors.new_authenticator_secret()
    return console_page(
        request,
        "accounts/second_factor/enrol.html",
        "Set up your second factor",
        status=status,
        qr=factors.qr_code(factors.authenticator_link(secret, user)),
        key=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        error=error,
        error_field=field,
        signing_in=factors.pending_user(request) is not None,
    )


def _codes_page(request: HttpRequest, user: User, next_page: str) -> HttpResponse:
    return console_page(
        request,
        "accounts/second_factor/recovery_codes.html",
        "Save your recovery codes",
        codes=factors.issue_recovery_codes(user=user),
        next_page=next_page,
    )


def _enrol(request: HttpRequest, user: User) -> tuple[SecondFactor | None, str, str]:
    """Enrol what the form sent: (the factor, or None with the error and its field)."""
    try:
        if request.POST.get("passkey_response"):
            response = request.POST["passkey_response"]
            return factors.enrol_passkey(request=request, user=user, response=response), "", ""
        secret = request.session.get(ENROL_SECRET, "")
        code = request.POST.get("code", "")
        if not code.strip():
            return None, "Type the six-digit code your app shows.", "code"
        factor = factors.enrol_authenticator(
            user=user, secret=secret, code=code, now=timezone.now()
        )
        return factor, "", ""
    except factors.FactorRefused as refused:
        field = "passkey" if request.POST.get("passkey_response") else "code"
        return None, str(refused), field


@public_door
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enrol a first factor, or give one, to finish signing in."""
    user = factors.pending_user(request)
    if user is None:
        messages.info(request, "Please sign in again: the second step waits five minutes at most.")
        return redirect("console:login")
    if not factors.has_factor(user):
        if request.method != "POST":
            return _enrol_page(request, user)
        factor, error, field = _enrol(request, user)
        if factor is None:
            return _enrol_page(request, user, error=error, status=400, field=field)
        request.session.pop(ENROL_SECRET, None)
        return _codes_page(request, user, factors.finish(request, user))
    checked = factors.check_any(request, user) if request.method == "POST" else None
    if checked is not None and checked.outcome is factors.Outcome.PASSED:
        left = factors.recovery_codes_left(user)
        next_page = factors.finish(request, user)
        if left <= 3:
            messages.warning(
                request,
                f"You have {left} recovery codes left. Make new ones under “Your sign-in”.",
            )
        return redirect(next_page)
    status = 200
    if request.method == "POST":
        status = 400 if checked is None or checked.outcome is factors.Outcome.REFUSED else 429
    return console_page(
        request,
        "accounts/second_factor/challenge.html",
        "Confirm it's you",
        status=status,
        error=checked.message if checked else ("Type a code." if request.method == "POST" else ""),
        passkey=factors.has_passkey(user),
    )


@public_door
@require_POST
def passkey_options(request: HttpRequest) -> HttpResponse:
    """The options a browser needs to make (`for=create`) or use (`for=get`) a passkey, for the
    person half signed in or signed in."""
    user = factors.pending_user(request) or request.user
    if not (isinstance(user, User) and user.is_active and user.is_staff):
        return HttpResponse(
            '{"detail": "Sign in with your password first."}',
            status=403,
            content_type="application/json",
        )
    wanted = request.POST.get("for")
    if wanted == "create":
        body = factors.passkey_creation_options(request, user)
    elif wanted == "get" and factors.has_passkey(user):
        body = factors.passkey_request_options(request, user)
    else:
        return HttpResponse(
            '{"detail": "Say for=create to add a passkey, or for=get to use one you have."}',
            status=400,
            content_type="application/json",
        )
    return HttpResponse(body, content_type="application/json")


@staff_door(None)
def my_sign_in(request: HttpRequest) -> HttpResponse:
    """A staff member's own second factors: see them, add one, make new recovery codes."""
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        refused = factors.step_up(request)  # changing how you sign in asks for it again
        if refused is not None:
            return refused
        if request.POST.get("do") == "recovery_codes":
            return _codes_page(request, user, request.path)
        factor, error, field = _enrol(request, user)
        if factor is None:
            return _enrol_page(request, user, error=error, status=400, field=field)
        request.session.pop(ENROL_SECRET, None)
        messages.success(request, f"{factor.get_kind_display()} added.")
        return redirect("console:accounts:my_sign_in")
    if request.GET.get("add"):
        return _enrol_page(request, user)
    return console_page(
        request,
        "accounts/second_factor/mine.html",
        "Your sign-in",
        factors_held=SecondFactor.objects.filter(user=user).order_by("created_at"),
        codes_left=factors.recovery_codes_left(user),
    )
