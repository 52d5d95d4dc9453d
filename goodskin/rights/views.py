from __future__ import annotations

import csv
from dataclasses import replace
from datetime import timedelta

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from goodskin.core import throttle
from goodskin.core.network import client_address
from goodskin.jurisdictions.privacy import STATE_NAMES
from goodskin.rights.actions import intake, report_access, verification
from goodskin.rights.forms import CodeForm, DetailsForm, ReportCodeForm, RequestForm
from goodskin.rights.identity import Details
from goodskin.rights.metrics import table
from goodskin.rights.models import Channel, DataRequest, RequestKind
from goodskin.rights.queries import fulfilled_with_report, requests_received_in

REQUESTS_PER_HOUR = throttle.Limit("rights:address", 5, timedelta(hours=1))


def opening_fields(form: RequestForm) -> dict[str, object]:
    """The form's answers as `open_request` arguments (shared with the staff entry page)."""
    cleaned = form.cleaned_data
    document = cleaned["document"]
    return {
        "kind": cleaned["kind"],
        "email": cleaned["email"],
        "state": cleaned["state"],
        "details": cleaned["details"],
        "correct_items": cleaned["correct_items"],
        "appeal_of": cleaned["appeal_of"],
        "child_email": cleaned["child_email"],
        "agent": (
            intake.Agent(name=cleaned["agent_name"], email=cleaned["agent_email"])
            if cleaned["agent"]
            else None
        ),
        "document": intake.Document(*document) if document else None,
    }


def request_form(request: HttpRequest) -> HttpResponse:
    appealing = request.GET.get("appeal", "")[:14]
    initial = {"kind": "appeal", "appeal_of": appealing} if appealing else {}
    form = RequestForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            client = client_address(request)
            if not throttle.attempt((REQUESTS_PER_HOUR, client), now=timezone.now()):
                form.add_error(None, _("Too many requests from here. Please try again in an hour."))
                return render(request, "rights/request.html", {"form": form}, status=429)
            person = (
                getattr(request.user, "person", None) if request.user.is_authenticated else None
            )
            try:
                opened = intake.open_request(
                    **opening_fields(form),  # type: ignore[arg-type]  # checked by the form
                    today=timezone.localdate(),
                    channel=Channel.ACCOUNT if person else Channel.WEB,
                    language=translation.get_language() or "en",
                    signed_in_person=person,
                )
            except intake.RequestRefused as error:
                throttle.refund(REQUESTS_PER_HOUR, client)  # nothing was opened
                form.add_error(error.field, str(error))
                return render(request, "rights/request.html", {"form": form}, status=error.status)
            request.session["rights_reference"] = opened.request.reference
            request.session["rights_needs_code"] = opened.needs_code
            return redirect("rights:sent")
        return render(request, "rights/request.html", {"form": form}, status=400)
    return render(request, "rights/request.html", {"form": form})


def sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.get("rights_reference", "")
    # A person signed in, or opting out, needs no code: no box to fill in for them.
    needs_code = bool(request.session.get("rights_needs_code", True))
    form = CodeForm(initial={"reference": reference})
    if reference:
        form.fields["code"].widget.attrs["autofocus"] = True  # the one thing left to type
    return render(
        request,
        "rights/sent.html",
        {"reference": reference, "form": form, "needs_code": needs_code},
    )


def verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = verification.verify_code(
                reference=form.cleaned_data["reference"], code=form.cleaned_data["code"]
            )
        except verification.CodeRefused as error:
            form.add_error("code", str(error))
        else:
            if verification.awaiting_details(verified):
                # Only the browser that entered the code may give the details.
                request.session["rights_details"] = verified.reference
                return redirect("rights:details")
            return render(request, "rights/verified.html", {"data_request": verified})
    status = 400 if form.is_bound else 200
    return render(request, "rights/sent.html", {"form": form}, status=status)


def details(request: HttpRequest) -> HttpResponse:
    """The second step for a copy of specific pieces or deleting sensitive data."""
    reference = request.session.get("rights_details", "")
    if not reference:
        return redirect("rights:sent")
    form = DetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = verification.verify_details(
                reference=reference,
                given=Details(
                    full_name=form.cleaned_data["full_name"],
                    date_of_birth=form.cleaned_data["date_of_birth"],
                    phone=form.cleaned_data["phone"],
                ),
            )
        except verification.CodeRefused as error:
            form.add_error(None, str(error))
        else:
            del request.session["rights_details"]
            return render(request, "rights/verified.html", {"data_request": verified})
    status = 400 if form.is_bound else 200
    return render(
        request, "rights/details.html", {"form": form, "reference": reference}, status=status
    )


REPORT_SESSION_MINUTES = 15


def _report_key(reference: str) -> str:
    return f"rights-report:{reference}"


def _may_download(request: HttpRequest, data_request: DataRequest) -> bool:
    """Signed in as the person, or a code confirmed in this browser in the last 15 minutes."""
    user = request.user
    if user.is_authenticated and getattr(user, "person_id", None) == data_request.person_id:
        return True
    confirmed = request.session.get(_report_key(data_request.reference))
    return isinstance(confirmed, int | float) and (
        timezone.now().timestamp() - confirmed < REPORT_SESSION_MINUTES * 60
    )


def report(request: HttpRequest, token: str) -> HttpResponse:
    """The access report, for seven days from the emailed link, to the person signed in or to
    whoever enters a fresh code sent to the person's address."""

    try:
        reference = report_access.read_report_token(token)
    except signing.BadSignature:
        return render(request, "rights/report_expired.html", status=410)
    data_request = fulfilled_with_report(reference)
    if data_request is None or data_request.report is None:
        return render(request, "rights/report_expired.html", status=410)
    if _may_download(request, data_request):
        report_access.record_report_download(request=data_request)
        response = HttpResponse(data_request.report, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="goodskin-{reference}.zip"'
        response["Cache-Control"] = "no-store"
        return response
    form = ReportCodeForm(request.POST if request.POST.get("step") == "code" else None)
    context: dict[str, object] = {"form": form, "sent": False}
    status = 200
    if request.method == "POST" and request.POST.get("step") == "send":
        context["sent"] = report_access.send_report_code(request=data_request)
        if not context["sent"]:
            context["refused"] = _("We have sent three codes this hour. Use the latest one.")
            status = 429
    elif form.is_bound:
        if form.is_valid():
            try:
                report_access.confirm_report_code(
                    request=data_request, code=form.cleaned_data["code"]
                )
            except verification.CodeRefused as error:
                form.add_error("code", str(error))
            else:
                request.session[_report_key(reference)] = timezone.now().timestamp()
                return redirect(request.path)
        context["sent"] = True
        status = 400
    response = render(request, "rights/report_confirm.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def metrics(request: HttpRequest) -> HttpResponse:
    """Last calendar year's request figures, as a page and (?format=csv) a CSV."""

    year = timezone.localdate().year - 1
    received = requests_received_in(year)
    by_kind, by_state = table(received, by="kind"), table(received, by="state")
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="privacy-requests-{year}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["grouping", "group", "received", "complied", "denied", "median_days", "p95_days"]
        )
        for grouping, rows in (("type", by_kind), ("state", by_state)):
            for row in rows:
                writer.writerow(
                    [
                        grouping,
                        row.group,
                        row.received,
                        row.complied,
                        row.denied,
                        row.median_days if row.median_days is not None else "",
                        row.p95_days if row.p95_days is not None else "",
                    ]
                )
        return response

    labelled = [replace(row, group=str(RequestKind(row.group).label)) for row in by_kind]
    named = [replace(row, group=str(STATE_NAMES.get(row.group, row.group))) for row in by_state]
    return render(
        request, "rights/metrics.html", {"year": year, "by_kind": labelled, "by_state": named}
    )
