from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goodskin.submissions import actions
from goodskin.submissions.forms import ConsultationForm, ContactForm, SubmissionForm
from goodskin.website.models import Clinic

REMOVED_WORDS = {
    "ssn": gettext_lazy("a Social Security number"),
    "card": gettext_lazy("a card number"),
    "bank_account": gettext_lazy("a bank account number"),
}


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _warn_about_removed(request: HttpRequest, removed: tuple[str, ...]) -> None:
    if removed:
        what = ", ".join(str(REMOVED_WORDS[kind]) for kind in removed)
        messages.warning(
            request,
            _(
                "We removed what looked like %(what)s from your message before saving it. "
                "For your safety, please never send these numbers by web form or email."
            )
            % {"what": what},
        )


def _too_many(form: SubmissionForm) -> None:
    form.add_error(
        None,
        _("You have sent several forms in the last hour. Please call us, or try again later."),
    )


def consultation(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_from_a_bot():
            return redirect("submissions:consultation_sent")  # looks accepted; nothing is kept
        if not actions.may_submit(client_address=_client_address(request)):
            _too_many(form)
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            received = actions.submit_consultation(
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                treatment=data["treatment"],
                clinic=data["clinic"],
                preferred_time=data["preferred_time"],
                message=data["message"],
                language=translation.get_language() or "en",
                client_address=_client_address(request),
                today=timezone.localdate(),
            )
            _warn_about_removed(request, received.removed)
            return redirect("submissions:consultation_sent")
        else:
            status = 400
    return render(request, "submissions/consultation.html", {"form": form}, status=status)


def consultation_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "submissions/consultation_sent.html")


def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_from_a_bot():
            return redirect("submissions:contact_sent")
        if not actions.may_submit(client_address=_client_address(request)):
            _too_many(form)
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            received = actions.submit_contact_message(
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                topic=data["topic"],
                message=data["message"],
                language=translation.get_language() or "en",
                client_address=_client_address(request),
                today=timezone.localdate(),
            )
            _warn_about_removed(request, received.removed)
            return redirect("submissions:contact_sent")
        else:
            status = 400
    return render(
        request,
        "website/contact.html",
        {"form": form, "clinics": Clinic.objects.all()},
        status=status,
    )


def contact_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "submissions/contact_sent.html")
