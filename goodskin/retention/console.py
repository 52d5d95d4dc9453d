"""Staff pages for the privacy officer: the retention schedule, a dry run, and legal holds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from goodskin.approvals import actions as approvals
from goodskin.core.console import console_page
from goodskin.core.doors import staff_door
from goodskin.core.errors import NotFound
from goodskin.jurisdictions.retention_floors import FLOORS
from goodskin.retention import actions, queries
from goodskin.retention.forms import HoldForm, RuleForm
from goodskin.retention.models import LegalHold


def _with_releases_asked(holds: list[LegalHold]) -> list[LegalHold]:
    waiting = approvals.waiting_by_target(actions.RELEASE, LegalHold)
    names = dict(
        get_user_model()
        .objects.filter(pk__in=[a.asked_by for a in waiting.values()])
        .values_list("pk", "full_name")
    )
    for hold in holds:
        asked = waiting.get(str(hold.pk))
        hold.release_asked = asked  # type: ignore[attr-defined]  # for the page
        hold.asked_by_name = names.get(asked.asked_by, "") if asked else ""  # type: ignore[attr-defined]
    return holds


def _schedule(request: HttpRequest, *, status: int = 200, **extra: object) -> HttpResponse:
    rows = [
        (
            rule,
            queries.wording(rule.key, rule),
            FLOORS.get(rule.key),
            RuleForm(
                initial={
                    "period_days": rule.period_days,
                    "counted_from": rule.counted_from,
                    "outcome": rule.outcome,
                },
                prefix=rule.key,
            ),
        )
        for rule in queries.rules()
    ]
    return console_page(
        request,
        "retention/console/schedule.html",
        "Retention and legal holds",
        status=status,
        rows=rows,
        holds=_with_releases_asked(list(queries.holds())),
        hold_form=extra.pop("hold_form", None) or HoldForm(),
        **extra,
    )


@staff_door("retention.view_schedule")
def schedule(request: HttpRequest) -> HttpResponse:
    return _schedule(request)


@staff_door("retention.view_schedule", act="retention.change_rule")
@require_POST
def change_rule(request: HttpRequest, key: str) -> HttpResponse:
    try:
        rule = queries.access_rule(key)
    except NotFound:
        return render(request, "404.html", status=404)
    form = RuleForm(request.POST, prefix=key)
    if not form.is_valid():
        messages.error(
            request,
            f"{key}: " + "; ".join(str(e) for errors in form.errors.values() for e in errors),
        )
        return _schedule(request, status=400)
    try:
        changed = actions.change_rule(
            rule=rule,
            period_days=form.cleaned_data["period_days"],
            counted_from=form.cleaned_data["counted_from"],
            outcome=form.cleaned_data["outcome"],
        )
    except actions.RuleTooShort as error:
        messages.error(request, str(error))
        return _schedule(request, status=400)
    messages.success(request, f"{key}: saved." if changed else f"{key}: nothing changed.")
    return redirect("console:retention:schedule")


@staff_door("retention.view_schedule")
def dry_run(request: HttpRequest) -> HttpResponse:
    reports = actions.apply_retention(dry_run=True)
    return _schedule(request, reports=reports)


@staff_door("retention.view_schedule", act="retention.place_hold")
@require_POST
def place_hold(request: HttpRequest) -> HttpResponse:
    form = HoldForm(request.POST)
    if not form.is_valid():
        return _schedule(request, status=400, hold_form=form)
    found = queries.people_by_email(form.cleaned_data["emails"])
    unknown = [email for email in form.cleaned_data["emails"] if email not in found]
    if unknown:
        form.add_error("emails", f"We hold nothing about {', '.join(unknown)}; nothing to keep.")
        return _schedule(request, status=400, hold_form=form)
    hold = actions.place_hold(
        reason=form.cleaned_data["reason"],
        case_reference=form.cleaned_data["case_reference"],
        review_on=form.cleaned_data["review_on"],
        people=list(found.values()),
        category=form.cleaned_data["category"],
        today=timezone.localdate(),
    )
    messages.success(request, f"Hold {hold.pk} placed.")
    return redirect("console:retention:schedule")


@staff_door("retention.view_schedule", act="retention.release_hold", fresh=True)
@require_POST
def release_hold(request: HttpRequest, hold_id: int) -> HttpResponse:
    """Releasing a hold takes two people: one asks, with the reason; another approves (and the
    release happens then) or refuses."""
    try:
        hold = queries.access_hold(hold_id)
        step = request.POST.get("step", "ask")
        if hold.released_at is not None:
            raise actions.HoldRefused("That hold is not in force.")
        if step == "ask":
            approvals.ask(
                action=actions.RELEASE,
                target=hold,
                by=request.user,
                reason=request.POST.get("reason", ""),
            )
            messages.success(
                request, f"Release of hold {hold_id} asked: a second person must approve."
            )
            return redirect("console:retention:schedule")
        waiting = approvals.waiting_for(actions.RELEASE, hold)
        if waiting is None:
            raise approvals.ApprovalRefused("No release of this hold is waiting for a decision.")
        decided = approvals.decide(approval=waiting, by=request.user, approve=step == "approve")
        if step != "approve":
            messages.success(request, f"Release of hold {hold_id} refused; the hold stands.")
            return redirect("console:retention:schedule")
        release = actions.release_hold(hold=hold, approval=decided)
    except NotFound:
        messages.error(request, "That hold is not in force.")
    except (actions.HoldRefused, approvals.ApprovalRefused) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            f"Hold {hold_id} released; {len(release.erased)} waiting erasure(s) carried out.",
        )
    return redirect("console:retention:schedule")
