from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goodskin.accounts import actions, factors
from goodskin.accounts.forms import (
    CloseAccountForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegistrationForm,
    SignInForm,
)
from goodskin.accounts.models import User
from goodskin.accounts.queries import access_account_by_verification_token
from goodskin.accounts.tokens import password_reset_tokens
from goodskin.consent.actions import link_browser_to_person
from goodskin.core.doors import public_door
from goodskin.core.network import client_address


def remember_language(response: HttpResponse, language: str) -> None:
    """The language cookie with the same flags Django's own language switch gives it (Secure in
    production), so no copy of it is ever set more loosely."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax", from settings
    )


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int | None = None
) -> HttpResponse:
    """Render a form page; a submitted form with errors answers 400 so nothing looks accepted."""
    form = context.get("form")
    if status is None:
        status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()
        born = form.cleaned_data.get("date_of_birth")
        # Age is screened before the other fields' errors are shown, so a minor's details are never
        # kept or echoed back, however the rest of the form was filled in: they get the refusal
        # page and no form. (register_account checks again for callers that are not this view.)
        if born is not None and actions.refuse_minor(
            date_of_birth=born, today=timezone.localdate()
        ):
            return render(request, "accounts/register_refused.html", status=403)
        if form.is_valid() and born is not None:
            try:
                actions.register_account(
                    full_name=form.cleaned_data["full_name"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    date_of_birth=born,
                    language=translation.get_language() or "en",
                    today=timezone.localdate(),
                )
            except actions.RegistrationRefused:
                return render(request, "accounts/register_refused.html", status=403)
            return redirect("accounts:register_sent")
    return _form_page(request, "accounts/register.html", {"form": form})


def register_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/register_sent.html")


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    user = access_account_by_verification_token(token)
    if user is None:
        return render(request, "accounts/verify_invalid.html", status=400)
    if request.method == "POST":
        actions.verify_email(user=user)
        return render(request, "accounts/verify_done.html")
    return render(request, "accounts/verify_confirm.html", {"already": user.email_verified})


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    if actions.resend_verification(user=_signed_in(request)):
        messages.success(request, _("We've sent a new confirmation link. It works for three days."))
    else:
        messages.info(
            request,
            _("We couldn't send another link just now. Please wait an hour, or email us."),
        )
    return redirect("accounts:profile")


def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignInForm(request.POST or None)
    status = None
    if request.method == "POST" and form.is_valid():
        outcome, user = actions.check_sign_in(
            request=request,
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            client_address=client_address(request),
        )
        if outcome is actions.SignInOutcome.SIGNED_IN and user is not None and user.is_staff:
            # A password alone never signs staff in: the second factor finishes it.
            factors.begin(request, user, _next_page(request, default="/console/"))
            return redirect("console:accounts:second_factor")
        if outcome is actions.SignInOutcome.SIGNED_IN and user is not None:
            login(request, user)
            browser_id = getattr(getattr(request, "privacy", None), "browser_id", None)
            if browser_id:  # this browser's earlier privacy choices become the person's
                link_browser_to_person(browser_id=browser_id, person=user.person)
            translation.activate(user.preferred_language)
            response = redirect(_next_page(request))
            remember_language(response, user.preferred_language)
            return response
        if outcome is actions.SignInOutcome.THROTTLED:
            form.add_error(
                None,
                _(
                    "Too many sign-in attempts. For your security, please wait 15 minutes "
                    "and try again, or reset your password."
                ),
            )
            status = 429
        else:
            form.add_error(None, _("That email and password don't match an account."))
    return _form_page(request, "accounts/login.html", {"form": form}, status=status)


def _next_page(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or str(reverse_lazy("accounts:profile"))


@public_door
def console_sign_in(request: HttpRequest) -> HttpResponse:
    next_page = request.GET.get("next") or "/console/"
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_page})}")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("website:home")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    form = ProfileForm(
        request.POST or None,
        initial={"full_name": user.full_name, "preferred_language": user.preferred_language},
    )
    if request.method == "POST" and form.is_valid():
        changed = actions.update_profile(
            user=user,
            full_name=form.cleaned_data["full_name"],
            language=form.cleaned_data["preferred_language"],
        )
        messages.success(
            request, _("Your profile is saved.") if changed else _("Nothing needed changing.")
        )
        response = redirect("accounts:profile")
        remember_language(response, user.preferred_language)
        return response
    return _form_page(request, "accounts/profile.html", {"form": form, "account": user})


@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.change_password(
            user=user, new_password=form.cleaned_data["new_password1"], via_reset=False
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password is changed. We've emailed you to confirm."))
        return redirect("accounts:profile")
    return _form_page(request, "accounts/password_change.html", {"form": form})


def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if actions.may_request_password_reset(
            email=form.cleaned_data["email"], client_address=client_address(request)
        ):
            actions.request_password_reset(email=form.cleaned_data["email"])
        return redirect("accounts:password_reset_sent")
    return _form_page(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Django's view (it moves the token out of the URL before the page renders, so it never
    leaks through a Referer header); the new password is set by our audited action."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    form_class = SetPasswordForm[User]
    token_generator = password_reset_tokens

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]  # stub is generic over the user model
        user = form.user
        assert isinstance(user, User)
        actions.change_password(
            user=user, new_password=form.cleaned_data["new_password1"], via_reset=True
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]  # as above
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_complete.html")


@login_required
def close_account(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    form = CloseAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        actions.close_account(user=user)
        logout(request)
        return redirect("accounts:closed")
    return _form_page(request, "accounts/close.html", {"form": form})


def closed(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/closed.html")


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user
