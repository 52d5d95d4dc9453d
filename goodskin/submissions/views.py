from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goodskin.core.network import client_address
from goodskin.submissions import actions
from goodskin.submissions.forms import ConsultationForm, ContactForm, SubmissionForm
from goodskin.website.models import Clinic

REMOVED_WORDS = {
    "ssn": gettext_lazy("a Social Security number"),
    "card": gettext_lazy("a card number"),
    "bank_account": gettext_lazy("a bank account number"),
    "routing_number": gettext_lazy("a bank routing number"),
}


def _warn_about_removed(request: HttpRequest, removed: tuple[str, ...]) -> None:
    if removed:
        # "a card number and a Social Security number" ("… y …" in Spanish), as a person says it.
        what = get_text_list([str(REMOVED_WORDS[kind]) for kind in removed], _("and"))
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


def _receive(
    request: HttpRequest,
    form: SubmissionForm,
    *,
    submit: Callable[..., actions.Received],
    sent: str,
    template: str,
    context: dict[str, object],
) -> HttpResponse:
    """The flow both forms share: bots are told OK and nothing is kept; a busy address is asked to
    wait (429); valid input goes to the action; invalid input comes back with its errors (400)."""
    status = 200
    if request.method == "POST":
        if form.is_from_a_bot():
            return redirect(sent)
        if form.is_valid():
            try:
                received = submit(
                    **form.cleaned_data,
                    language=translation.get_language() or "en",
                    client_address=client_address(request),
                    today=timezone.localdate(),
                )
            except actions.TooManySubmissions:
                _too_many(form)
                status = 429
            else:
                _warn_about_removed(request, received.removed)
                return redirect(sent)
        else:
            status = 400
    return render(request, template, {**context, "form": form}, status=status)


def consultation(request: HttpRequest) -> HttpResponse:
    return _receive(
        request,
        ConsultationForm(request.POST or None),
        submit=actions.submit_consultation,
        sent="submissions:consultation_sent",
        template="submissions/consultation.html",
        context={},
    )


def consultation_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "submissions/consultation_sent.html")


def contact(request: HttpRequest) -> HttpResponse:
    return _receive(
        request,
        ContactForm(request.POST or None),
        submit=actions.submit_contact_message,
        sent="submissions:contact_sent",
        template="website/contact.html",
        context={"clinics": Clinic.objects.all()},
    )


def contact_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "submissions/contact_sent.html")
