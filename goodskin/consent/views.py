from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from goodskin.consent import actions
from goodskin.consent.choices import Choices
from goodskin.consent.forms import BannerForm, ChoicesForm
from goodskin.consent.middleware import privacy_state, set_consent_cookie
from goodskin.consent.models import Source
from goodskin.consent.state import PrivacyState
from goodskin.vault.models import Person

GPC_SUPPORT_DATE = date(2026, 11, 29)  # when this site's GPC handling last changed


def _state(request: HttpRequest) -> PrivacyState:
    return getattr(request, "privacy", None) or privacy_state(request)


def _person(request: HttpRequest) -> Person | None:
    user = request.user
    return getattr(user, "person", None) if user.is_authenticated else None


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@require_POST
def banner_choice(request: HttpRequest) -> HttpResponse:
    form = BannerForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "choice must be accept_all or reject_all"}, status=400)
    choices = (
        Choices.accept_all()
        if form.cleaned_data["choice"] == "accept_all"
        else Choices.reject_all()
    )
    _record, cookie = actions.record_choice(
        state=_state(request),
        choices=choices,
        source=Source.BANNER,
        language=translation.get_language() or "en",
        person=_person(request),
    )
    if request.headers.get("Accept") == "application/json":
        response: HttpResponse = JsonResponse({"saved": True})
    else:
        response = redirect(_back(request))
        response.status_code = 303
    set_consent_cookie(response, cookie, secure=request.is_secure())
    return response


def choices_page(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    current = state.applied
    form = ChoicesForm(
        request.POST or None,
        initial={
            "preferences": current.preferences,
            "analytics": current.analytics,
            "marketing": current.marketing,
        },
    )
    if state.gpc:
        form.fields["marketing"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _record, cookie = actions.record_choice(
            state=state,
            choices=Choices(data["preferences"], data["analytics"], bool(data.get("marketing"))),
            source=Source.CHOICES_PAGE,
            language=translation.get_language() or "en",
            person=_person(request),
        )
        messages.success(request, _("Your choices are saved. They apply from now on."))
        response = redirect("privacy_choices")
        set_consent_cookie(response, cookie, secure=request.is_secure())
        return response
    return render(request, "website/privacy_choices.html", {"form": form, "state": state})


@require_POST
def gpc_from_script(request: HttpRequest) -> JsonResponse:
    """`navigator.globalPrivacyControl === true` reported by our script, for the rare browser or
    extension that sets it without sending the header: the same opt-out, recorded once."""
    state = _state(request)
    if state.gpc_recorded:
        return JsonResponse({"recorded": False})
    signalled = PrivacyState(
        gpc=True,
        dnt=state.dnt,
        browser_id=state.browser_id,
        choices=state.choices,
        gpc_recorded=False,
    )
    _updated, cookie = actions.record_opt_out_signal(
        state=signalled, language=translation.get_language() or "en", person=_person(request)
    )
    response = JsonResponse({"recorded": True})
    set_consent_cookie(response, cookie, secure=request.is_secure())
    return response


@require_GET
def gpc_json(request: HttpRequest) -> JsonResponse:
    """The W3C well-known resource: this site honours Global Privacy Control."""
    return JsonResponse({"gpc": True, "lastUpdate": GPC_SUPPORT_DATE.isoformat()})
