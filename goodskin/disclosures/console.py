"""Staff pages: the recipient register, the disclosure log, logging a disclosure, and
de-identified exports (downloaded as CSV, logged with their k)."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from goodskin.accounts.models import User
from goodskin.core.console import console_page
from goodskin.core.doors import staff_door
from goodskin.disclosures import actions, queries
from goodskin.disclosures.deid import ExportRefused
from goodskin.disclosures.forms import DisclosureForm, ExportForm
from goodskin.retention.queries import people_by_email


def _page(request: HttpRequest, *, status: int = 200, **extra: object) -> HttpResponse:
    return console_page(
        request,
        "disclosures/console/disclosures.html",
        "Disclosures",
        status=status,
        recipients=queries.recipients_by_kind(),
        log=queries.disclosure_log()[:100],
        disclosure_form=extra.pop("disclosure_form", None) or DisclosureForm(),
        export_form=extra.pop("export_form", None) or ExportForm(),
        **extra,
    )


@staff_door("disclosures.view_disclosures")
def disclosures(request: HttpRequest) -> HttpResponse:
    return _page(request)


@staff_door("disclosures.view_disclosures", act="disclosures.record_disclosure")
def record(request: HttpRequest) -> HttpResponse:
    form = DisclosureForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, status=400 if form.is_bound else 200, disclosure_form=form)
    found = people_by_email(form.cleaned_data["emails"])
    unknown = [email for email in form.cleaned_data["emails"] if email not in found]
    if unknown:
        form.add_error("emails", f"We hold nothing about {', '.join(unknown)}.")
        return _page(request, status=400, disclosure_form=form)
    user = request.user
    assert isinstance(user, User)
    try:
        logged = actions.record_disclosure(
            kind=form.cleaned_data["kind"],
            recipient=form.cleaned_data["recipient"],
            reference=form.cleaned_data["reference"],
            categories=form.cleaned_data["categories"],
            people=list(found.values()),
            approved_by=user,
            person_may_be_told=form.cleaned_data["person_may_be_told"],
            silent_until=form.cleaned_data["silent_until"],
        )
    except actions.DisclosureRefused as error:
        form.add_error(None, str(error))
        return _page(request, status=400, disclosure_form=form)
    messages.success(request, f"Disclosure {logged.pk} logged.")
    return redirect("console:disclosures:list")


@staff_door("disclosures.view_disclosures", act="disclosures.export_deidentified", fresh=True)
def export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, status=400 if form.is_bound else 200, export_form=form)
    user = request.user
    assert isinstance(user, User)
    try:
        released, logged = actions.export_deidentified(
            dataset=form.cleaned_data["dataset"],
            fields=form.cleaned_data["columns"],
            recipient=form.cleaned_data["recipient"],
            approved_by=user,
            k=form.cleaned_data["k"],
        )
    except ExportRefused as error:
        form.add_error("columns", str(error))
        return _page(request, status=400, export_form=form)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*released.fields, "people"])
    for key, count in released.groups:
        writer.writerow([*key, count])
    response = HttpResponse(out.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="deidentified-{logged.pk}-k{released.k}.csv"'
    )
    return response
