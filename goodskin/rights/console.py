"""The staff queue of privacy requests, soonest deadline first, with what is overdue."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from goodskin.access_log.actions import alert_if_unusual, record_staff_read
from goodskin.core.console import console_page
from goodskin.core.doors import staff_door
from goodskin.core.errors import NotFound
from goodskin.core.validation import whole_number
from goodskin.rights import queries
from goodskin.rights.actions import common, corrections, fulfilment, intake, report_access
from goodskin.rights.actions import minors as minors_actions
from goodskin.rights.forms import CorrectionForm, DecisionForm, StaffEntryForm
from goodskin.rights.models import Channel, ConsentMethod, DataRequest, RequestKind, Status
from goodskin.rights.views import opening_fields
from goodskin.vault.actions import record_export
from goodskin.vault.corrections import LABELS as CORRECTION_LABELS
from goodskin.vault.corrections import CorrectionRefused, Item, current_values
from goodskin.vault.queries import access_person, everything_about

CORRECTABLE = (Status.VERIFIED, Status.IN_PROGRESS, Status.EXTENDED)


@staff_door("rights.view_requests")
def queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return console_page(
        request,
        "rights/console/queue.html",
        "Privacy requests",
        today=today,
        requests=queries.open_queue()[:500],
        summary=queries.queue_summary(today=today),
    )


@staff_door("rights.record_request", act="rights.record_request")
def enter(request: HttpRequest) -> HttpResponse:
    form = StaffEntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        received = form.cleaned_data["received_on"]
        if received > timezone.localdate():
            form.add_error("received_on", "A request cannot arrive in the future.")
        else:
            try:
                opened = intake.open_request(
                    **opening_fields(form),  # type: ignore[arg-type]  # checked by the form
                    today=received,
                    channel=Channel(form.cleaned_data["channel"]),
                )
            except intake.RequestRefused as error:
                form.add_error(error.field, str(error))
            else:
                messages.success(request, f"Request {opened.request.reference} recorded.")
                return redirect("console:rights:request", reference=opened.request.reference)
    status = 400 if form.is_bound else 200
    return console_page(
        request, "rights/console/enter.html", "Record a request", status=status, form=form
    )


def _correction_form(request: HttpRequest, data_request: DataRequest) -> CorrectionForm | None:
    """The correction form, for a verified, open correction request (None otherwise)."""
    if data_request.kind != RequestKind.CORRECT or data_request.status not in CORRECTABLE:
        return None
    items = [Item(item) for item in data_request.correct_items] or list(Item)
    posted = request.POST if request.POST.get("form") == "correction" else None
    return CorrectionForm(posted, items=items, held=current_values(data_request.person))


def _apply_correction(
    request: HttpRequest, data_request: DataRequest, form: CorrectionForm
) -> HttpResponse | None:
    try:
        corrected = corrections.apply_correction(
            request=data_request,
            changes=form.changes(),  # type: ignore[arg-type]  # typed by the form's fields
            note=form.cleaned_data["note"],
            today=timezone.localdate(),
        )
    except CorrectionRefused as error:
        form.add_error(error.item.value, str(error))
        return None
    except common.TransitionRefused as error:
        form.add_error(None, str(error))
        return None
    done = "Corrected; the person has been emailed."
    if corrected.by_hand:
        done += " Tell these recipients yourself (no privacy contact on file): " + ", ".join(
            corrected.by_hand
        )
    messages.success(request, done)
    return redirect("console:rights:request", reference=data_request.reference)


@staff_door("rights.view_requests", act="rights.fulfil_request", fresh=True)
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        data_request = queries.access_request(request.user, reference)
    except NotFound:
        return render(request, "404.html", status=404)
    if request.method == "GET":  # the page shows what the person sent and what we hold
        record_staff_read(
            person=data_request.person,
            because=data_request,
            what="request",
            reference=data_request.reference,
        )
    correction = _correction_form(request, data_request)
    correcting = request.method == "POST" and request.POST.get("form") == "correction"
    form = DecisionForm(
        request.POST if request.method == "POST" and not correcting else None,
        fulfil=data_request.kind != RequestKind.CORRECT,  # a correction closes by its own form
    )
    if correction is not None and correction.is_bound:
        if correction.is_valid():
            done = _apply_correction(request, data_request, correction)
            if done is not None:
                return done
    elif request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        try:
            if action == "extend":
                fulfilment.extend_request(request=data_request, reason=reason, today=today)
            elif action == "deny":
                fulfilment.deny_request(request=data_request, reason=reason, today=today)
            else:
                fulfilment.fulfil_request(request=data_request, today=today, note=reason)
        except common.TransitionRefused as error:
            form.add_error(
                "reason" if "reason" in str(error) or "Describe" in str(error) else None, str(error)
            )
        else:
            messages.success(request, "Done; the person has been emailed.")
            return redirect("console:rights:request", reference=reference)
    status = 400 if form.is_bound or (correction is not None and correction.is_bound) else 200
    return console_page(
        request,
        "rights/console/detail.html",
        reference,
        status=status,
        data_request=data_request,
        form=form,
        correction=correction,
        named=[str(CORRECTION_LABELS[Item(item)]).lower() for item in data_request.correct_items],
        corrections=data_request.corrections.all(),
        agent=data_request.agent.split("\n") if data_request.agent else None,
        appeals=data_request.appeals.order_by("pk"),
    )


@staff_door("rights.view_requests")
def document(request: HttpRequest, reference: str) -> HttpResponse:
    """The agent's signed permission or the parent's proof, for staff, each opening audited."""
    try:
        data_request = queries.access_request(request.user, reference)
    except NotFound:
        return render(request, "404.html", status=404)
    content = data_request.document
    if content is None:
        return render(request, "404.html", status=404)
    report_access.record_document_opened(request=data_request)
    response = HttpResponse(content, content_type=data_request.document_type)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
    name = f"{reference}-document.{extension.get(data_request.document_type, 'bin')}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_door("rights.view_requests", act="rights.decide_minors_case")
def minors(request: HttpRequest) -> HttpResponse:
    """Possible minors: signals waiting for a case, and open cases to erase or dismiss."""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "open":
                person = access_person(
                    request.user, whole_number(request.POST.get("person", "")) or 0
                )
                minors_actions.open_minors_case(person=person, source="classifier")
                messages.success(request, "Case opened.")
            else:
                case = queries.access_minors_case(
                    request.user,
                    whole_number(request.POST.get("case", "")) or 0,
                    consented=action == "withdraw",
                )
                if action == "withdraw":
                    erased = minors_actions.withdraw_parental_consent(case=case)
                    messages.success(
                        request,
                        "Consent withdrawn: erased."
                        if erased
                        else "Consent withdrawn; a legal hold postpones the erasure.",
                    )
                elif action == "consent":
                    minors_actions.record_parental_consent(
                        case=case,
                        method=request.POST.get("method", ""),
                        note=request.POST.get("note", ""),
                    )
                    messages.success(request, "Kept with the parent's consent; no marketing.")
                elif action == "erase":
                    erased = minors_actions.erase_minor(case=case)
                    messages.success(
                        request,
                        "Erased; only a fingerprint remains so nothing is sent to them again."
                        if erased
                        else "A legal hold postpones the erasure; the case stays open.",
                    )
                elif action == "dismiss":
                    minors_actions.dismiss_minors_case(case=case, note=request.POST.get("note", ""))
                    messages.success(request, "Case closed: not a minor.")
        except (NotFound, ValueError) as error:
            messages.error(request, str(error) or "That case is not open.")
        return redirect("console:rights:minors")
    return console_page(
        request,
        "rights/console/minors.html",
        "Possible minors",
        waiting=queries.minors_waiting(),
        consented=queries.consented_minors_cases(),
        methods=ConsentMethod.choices,
        today=timezone.localdate(),
    )


@staff_door("vault.export_person", fresh=True)
def person_export(request: HttpRequest, person_id: int) -> HttpResponse:
    """Everything about one person, as JSON, for a staff member answering an access request."""
    try:
        person = access_person(request.user, person_id)
    except NotFound:
        raise Http404("No such person") from None
    tables = everything_about(person)
    record_export(person=person, tables=len(tables), rows=sum(len(table.rows) for table in tables))
    staff_id = request.user.pk
    assert staff_id is not None  # the door lets only signed-in staff through
    alert_if_unusual(staff_id)
    response = JsonResponse(
        {"person": person.pk, "tables": [dataclasses.asdict(table) for table in tables]},
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response
