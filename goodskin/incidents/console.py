"""The privacy officer's incident pages: open an incident, assess it, hold or send the notices,
see every state's countdown and the regulator notices to file, and close it with a report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone

from goodskin.core.console import console_page, local_moment
from goodskin.core.doors import staff_door
from goodskin.incidents import actions, queries
from goodskin.incidents.models import AffectedPerson, Incident
from goodskin.incidents.tasks import send_breach_notices
from goodskin.vault.registry import person_linked
from goodskin.vault.taxonomy import DATA_CATEGORIES


@staff_door("incidents.view_incidents")
def incidents(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = []
    for incident in Incident.objects.all()[:100]:
        state = queries.clocks_for(incident, now=now)
        rows.append({"incident": incident, "clocks": state, "next": state.states[:1]})
    return console_page(request, "incidents/console/list.html", "Incidents", rows=rows, now=now)


@staff_door("incidents.view_incidents", act="incidents.manage_incident")
def new(request: HttpRequest) -> HttpResponse:
    tables = sorted(model._meta.label_lower for model, _ in person_linked())
    error: actions.IncidentRefused | None = None
    if request.method == "POST":
        post = request.POST
        moments = {
            name: local_moment(post.get(name, ""))
            for name in ("discovered_at", "window_start", "window_end", "contained_at")
        }
        missing = [n for n in ("discovered_at", "window_start", "window_end") if moments[n] is None]
        if missing:
            error = actions.IncidentRefused("Give this as a date and time.", field=missing[0])
        else:
            try:
                incident = actions.open_incident(
                    title=post.get("title", ""),
                    description=post.get("description", ""),
                    actions_taken=post.get("actions_taken", ""),
                    discovered_at=moments["discovered_at"],  # type: ignore[arg-type]  # checked
                    window_start=moments["window_start"],  # type: ignore[arg-type]  # checked
                    window_end=moments["window_end"],  # type: ignore[arg-type]  # checked
                    contained_at=moments["contained_at"],
                    tables=post.getlist("tables"),
                    categories=post.getlist("categories"),
                    keys_exposed=post.get("keys_exposed") == "on",
                )
            except actions.IncidentRefused as refused:
                error = refused
            else:
                return redirect("console:incidents:detail", pk=incident.pk)
    return console_page(
        request,
        "incidents/console/new.html",
        "Open an incident",
        status=400 if error else 200,
        tables=tables,
        categories=[(code, str(words)) for code, words in DATA_CATEGORIES.items()],
        error=error,
        posted=request.POST,
    )


@staff_door("incidents.view_incidents", act="incidents.manage_incident")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = Incident.objects.filter(pk=pk).first()
    if incident is None:
        raise Http404
    now = timezone.now()
    if request.method == "POST":
        try:
            _act(request, incident, now)
        except actions.IncidentRefused as refused:
            messages.error(request, str(refused))
        return redirect("console:incidents:detail", pk=incident.pk)
    actions.record_deliveries(incident=incident)
    state = queries.clocks_for(incident, now=now)
    rows = AffectedPerson.objects.filter(incident=incident)
    unreachable = rows.filter(unreachable=True).count()
    drafts = [
        (
            clock,
            render_to_string(
                "incidents/regulator_notice.txt",
                {
                    **queries.notice_words(incident),
                    "clock": clock,
                    "paused_days": state.paused.days,
                    "unreachable": unreachable,
                    "contact_email": settings.CLINIC_CONTACT_EMAIL,
                },
            ),
        )
        for clock in state.states
        if clock.regulator_needed
    ]
    progress = _progress(incident, rows)
    progress["waiting"] = actions.not_started_because(incident, now=now)
    return console_page(
        request,
        "incidents/console/detail.html",
        str(incident),
        incident=incident,
        clocks=state,
        drafts=drafts,
        progress=progress,
        delays=incident.delays.order_by("started_at"),
        delay_active=queries.delay_active(incident, now=now),
        timeline=incident.timeline.all(),
        now=now,
    )


def _progress(incident: Incident, rows: Any) -> dict[str, Any]:
    total = incident.notices_total or rows.count()
    queued = rows.filter(message__isnull=False).count()
    delivered = rows.filter(notified_at__isnull=False).count()
    unreachable = rows.filter(unreachable=True).count()
    done = queued + unreachable
    return {
        "total": total,
        "queued": queued,
        "delivered": delivered,
        "unreachable": unreachable,
        "percent": round(100 * done / total) if total else 0,
    }


def _act(request: HttpRequest, incident: Incident, now: datetime) -> None:
    action = request.POST.get("action", "")
    if action == "assess":
        count = actions.assess(incident=incident, now=now)
        messages.success(request, f"Assessed: {count} people affected.")
    elif action == "delay":
        actions.start_delay(
            incident=incident,
            agency=request.POST.get("agency", ""),
            reference=request.POST.get("reference", ""),
            in_writing=request.POST.get("in_writing") == "on",
            at=local_moment(request.POST.get("at", "")) or now,
        )
        messages.success(request, "Delay recorded: the clocks are paused.")
    elif action == "end_delay":
        delay = queries.running_delay(incident, request.POST.get("delay", ""))
        if delay is None:
            raise actions.IncidentRefused("That delay is not running.")
        actions.end_delay(delay=delay, at=now)
        messages.success(request, "Delay ended: the clocks run again.")
    elif action == "notify":
        actions.check_ready_to_notify(incident, now=now)  # the worker would refuse out of sight
        send_breach_notices.enqueue(incident_id=incident.pk)
        messages.success(request, "Notices are going out.")
    elif action == "describe":
        post = request.POST
        actions.describe_incident(
            incident=incident,
            description=post.get("description", ""),
            description_es=post.get("description_es", ""),
            actions_taken=post.get("actions_taken", ""),
            actions_taken_es=post.get("actions_taken_es", ""),
            contained_at=local_moment(post.get("contained_at", "")),
        )
        messages.success(request, "The notice's words are recorded.")
    elif action == "close":
        actions.close_incident(incident=incident, note=request.POST.get("note", ""), now=now)
        messages.success(request, "Closed; the report is below.")
    else:
        raise actions.IncidentRefused("Choose what to do.")
