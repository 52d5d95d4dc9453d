"""Reads for the jobs page, /readyz and /metrics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from goodskin.operations import jobs
from goodskin.operations.jobs import Job
from goodskin.operations.models import Heartbeat, JobRun, Outcome


@dataclass(frozen=True)
class JobLine:
    job: Job
    last: JobRun | None
    last_done: JobRun | None
    next_at: datetime
    late: bool  # its latest slot has not started though a worker should have taken it


def job_board(now: datetime) -> dict[str, Any]:
    lines = []
    for job in jobs.JOBS:  # read when asked, so the page shows the registry as it is
        runs = JobRun.objects.filter(job=job.name).order_by("-slot")
        last = runs.first()
        last_done = runs.filter(outcome=Outcome.DONE).first()
        slot = job.last_slot(now)
        late = (last is None or last.slot < slot) and now - slot > timedelta(minutes=5)
        lines.append(JobLine(job, last, last_done, job.next_slot(now), late))
    lines.sort(
        key=lambda line: (line.last is None or line.last.outcome != Outcome.FAILED, line.job.name)
    )
    return {"lines": lines, "heartbeats": Heartbeat.objects.order_by("-seen_at")[:10], "now": now}


def newest_heartbeat() -> datetime | None:
    return Heartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
