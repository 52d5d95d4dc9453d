"""/console/compliance/: the policy in force, clause by clause, each beside its checks' latest
results, evidence and trend, failures first; and a button that runs the checks now."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from goodskin.compliance.actions import verify
from goodskin.compliance.models import Trigger
from goodskin.compliance.queries import board
from goodskin.core.console import console_page
from goodskin.core.doors import staff_door

VIEW = "compliance.view_compliance"


@staff_door(VIEW, act=VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        current = board()
        run = verify(trigger=Trigger.CONSOLE, policy_version=current.policy_version or 0)
        messages.success(
            request, f"Checked: {run.checks_run - run.checks_failed} of {run.checks_run} passed."
        )
        return redirect("console:compliance:overview")
    current = board()
    privacy = current.privacy_clauses
    return console_page(
        request,
        "compliance/console/overview.html",
        "Compliance",
        board=current,
        privacy_verified=sum(1 for line in privacy if line.state == "verified"),
        privacy_total=len(privacy),
        counts={state: current.count(state) for state in ("verified", "failing", "unverified")},
    )
