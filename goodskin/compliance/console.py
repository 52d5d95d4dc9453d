"""/console/compliance/: the policy in force, clause by clause, each beside its checks' latest
results, evidence and trend, failures first; and a button that runs the checks now."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date, timedelta
from pathlib import Path

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from goodskin.compliance.actions import record_evidence_pack, verify
from goodskin.compliance.evidence import PackRefused, gather, write
from goodskin.compliance.models import Trigger
from goodskin.compliance.queries import board
from goodskin.core.console import console_page
from goodskin.core.doors import staff_door

VIEW = "compliance.view_compliance"


@staff_door(VIEW, act=VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        current = board()
        run = verify(
            trigger=Trigger.CONSOLE, policy_version=current.policy_version or 0, slow=False
        )
        messages.success(
            request,
            f"Checked: {run.checks_run - run.checks_failed} of {run.checks_run} passed. The "
            "browser crawl of every page takes minutes: it runs each night at 05:00 and with "
            "manage.py verify_policy.",
        )
        return redirect("console:compliance:overview")
    return _page(request)


def _page(request: HttpRequest, *, pack_error: str = "", status: int = 200) -> HttpResponse:
    current = board()
    privacy = current.privacy_clauses
    today = timezone.localdate()
    return console_page(
        request,
        "compliance/console/overview.html",
        "Compliance",
        board=current,
        privacy_verified=sum(1 for line in privacy if line.state == "verified"),
        privacy_total=len(privacy),
        counts={state: current.count(state) for state in ("verified", "failing", "unverified")},
        pack_from=request.GET.get("from") or (today - timedelta(days=30)).isoformat(),
        pack_to=request.GET.get("to") or today.isoformat(),
        pack_error=pack_error,
        status=status,
    )


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@staff_door(VIEW)
def evidence(request: HttpRequest) -> HttpResponse:
    """The signed pack for the dates asked, as one zip: the same files the command writes."""
    start, end = _day(request.GET.get("from", "")), _day(request.GET.get("to", ""))
    if start is None or end is None:
        return _page(request, pack_error="Give both dates, like 2026-01-31.", status=400)
    try:
        pack = gather(start, end)
    except PackRefused as refused:
        return _page(request, pack_error=str(refused), status=400)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as scratch:
        written = write(pack, Path(scratch))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(written.folder.iterdir()):
                archive.write(file, arcname=f"evidence-{start}_{end}/{file.name}")
    record_evidence_pack(start=start, end=end, checks=len(pack["checks"]))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="evidence-{start}_{end}.zip"'
    return response
