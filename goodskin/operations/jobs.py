"""Every periodic job, declared in one place, and the ticker that runs them in the task workers.

A job is a management command (the same one an operator runs by hand) and when it is due: daily
at a clinic-time hour, or every few minutes. Each due run has a slot (the moment it was due); a
worker runs a slot only after inserting its `JobRun` row, whose (job, slot) is unique, so with any
number of workers every slot runs exactly once. The ticker is a task that books itself 30 seconds
ahead; two tickers booked by a race do no harm, since slots are claimed, not assumed. Each tick is
also the workers' heartbeat that /readyz looks for.
"""

from __future__ import annotations

import io
import traceback
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from goodskin.operations.models import Heartbeat, JobRun, Outcome

TICK = timedelta(seconds=30)  # so a worker's heartbeat is never a minute old


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    what: str
    daily_at: time | None = None  # clinic time
    every: timedelta | None = None
    arguments: tuple[str, ...] = ()

    def last_slot(self, now: datetime) -> datetime:
        """The most recent moment this job was due, at or before `now`."""
        if self.every is not None:
            step = int(self.every.total_seconds())
            return datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=now.tzinfo)
        assert self.daily_at is not None
        local = timezone.localtime(now)
        today = local.replace(
            hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
        )
        return today if today <= local else today - timedelta(days=1)

    @property
    def when(self) -> str:
        if self.every is not None:
            return f"every {int(self.every.total_seconds() // 60)} minutes"
        assert self.daily_at is not None
        return f"daily at {self.daily_at:%H:%M}"

    def next_slot(self, now: datetime) -> datetime:
        if self.every is not None:
            return self.last_slot(now) + self.every
        return self.last_slot(now) + timedelta(days=1)


JOBS: tuple[Job, ...] = (
    Job(
        "outbox",
        "deliver_outbox",
        "Start campaigns that are due, finish announcing policy changes, deliver due mail",
        every=timedelta(minutes=5),
    ),
    Job(
        "backup",
        "backup",
        "Back up both databases (kept encrypted; erasures are replayed after a restore)",
        daily_at=time(1, 30),
    ),
    Job(
        "analytics",
        "roll_up_analytics",
        "Roll yesterday's visits up into daily counts and drop the raw events",
        daily_at=time(2, 0),
    ),
    Job(
        "retention",
        "apply_retention",
        "Remove what the retention schedule says has expired, and remind staff of holds",
        daily_at=time(3, 0),
    ),
    Job(
        "audit",
        "audit_verify",
        "Verify the audit log's hash chain from the first entry to the last",
        daily_at=time(4, 0),
    ),
    Job(
        "compliance",
        "verify_policy",
        "Verify each clause of the published policy against the system; tell the privacy "
        "officer once when a clause starts failing",
        daily_at=time(5, 0),
        arguments=("--nightly",),
    ),
    Job(
        "reminders",
        "remind_requests",
        "Remind staff of privacy requests and possible minors that are due",
        daily_at=time(8, 0),
    ),
)


def _claim(job: Job, slot: datetime, now: datetime) -> JobRun | None:
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, slot=slot, started_at=now)
    except IntegrityError:
        return None  # another worker has this slot


def _last_lines(said: str, room: int) -> str:
    """The command's last whole lines that fit in `room` characters (its totals come last)."""
    kept: list[str] = []
    for line in reversed(said.strip().splitlines()):
        if sum(len(part) + 1 for part in kept) + len(line) > room:
            break
        kept.insert(0, line)
    return "\n".join(kept) or said.strip()[-room:]


def run_slot(job: Job, slot: datetime) -> JobRun | None:
    """Run `job` for `slot` unless some worker already has; the run is recorded either way it
    ends. None when the slot was taken."""
    run = _claim(job, slot, timezone.now())
    if run is None:
        return None
    out = io.StringIO()
    try:
        call_command(job.command, *job.arguments, stdout=out, stderr=out)
    except BaseException as failure:  # noqa: BLE001  (a job's failure is recorded, never lost)
        run.outcome = Outcome.FAILED
        run.summary = f"{type(failure).__name__}: {failure}"[:500]
        run.detail = traceback.format_exc()[-4000:]
        if not isinstance(failure, Exception):
            raise
    else:
        run.outcome = Outcome.DONE
        run.summary = _last_lines(out.getvalue(), 500)
    finally:
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "summary", "detail", "finished_at"])
    return run


def due_jobs(now: datetime) -> list[tuple[Job, datetime]]:
    """Each job's latest slot that no worker has started yet. A slot missed while every worker
    was down runs once when one comes back; older missed slots are not caught up one by one."""
    taken = set(JobRun.objects.filter(slot__gte=now - timedelta(days=2)).values_list("job", "slot"))
    return [
        (job, job.last_slot(now)) for job in JOBS if (job.name, job.last_slot(now)) not in taken
    ]


def tick(*, worker: str, now: datetime | None = None) -> list[JobRun]:
    """One turn of the ticker: the heartbeat, then every due job's slot."""
    now = now or timezone.now()
    Heartbeat.objects.update_or_create(worker=worker, defaults={"seen_at": now})
    ran = []
    for job, slot in due_jobs(now):
        run = run_slot(job, slot)
        if run is not None:
            ran.append(run)
    return ran
