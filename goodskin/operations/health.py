"""What /readyz and /metrics report: counts, ages and outcomes, never anyone's values."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.models import Campaign, CampaignStatus, Message, Status
from goodskin.communications.queries import campaign_progress
from goodskin.operations.models import JobRun, Outcome
from goodskin.operations.queries import newest_heartbeat
from goodskin.retention.models import RetentionRule
from goodskin.retention.purge import purge_lag
from goodskin.rights.queries import queue_summary

DATABASES = ("default", "keyring")
HEARTBEAT_LIMIT = timedelta(minutes=1)
STUCK_AFTER = timedelta(minutes=15)  # a message due this long ago and still waiting
_MIGRATIONS_CHECKED: dict[str, float] = {}  # database → when its migrations were last all applied
MIGRATIONS_RECHECK = 60.0  # seconds: loading the migration graph is the costly part


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _reachable(alias: str) -> Check:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return Check(f"database_{alias}", False, f"unreachable: {type(error).__name__}")
    return Check(f"database_{alias}", True, "reachable")


def _migrated(alias: str) -> Check:
    name = f"migrations_{alias}"
    if time.monotonic() - _MIGRATIONS_CHECKED.get(alias, -MIGRATIONS_RECHECK) < MIGRATIONS_RECHECK:
        return Check(name, True, "all applied")
    try:
        executor = MigrationExecutor(connections[alias])
        waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return Check(name, False, f"cannot be read: {type(error).__name__}")
    if waiting:
        return Check(name, False, f"{len(waiting)} not applied: run manage.py migrate")
    _MIGRATIONS_CHECKED[alias] = time.monotonic()
    return Check(name, True, "all applied")


def _heartbeat(now: datetime) -> Check:
    newest = newest_heartbeat()
    if newest is None:
        return Check("worker", False, "no task worker has ticked: run manage.py start_jobs")
    age = now - newest
    if age > HEARTBEAT_LIMIT:
        return Check("worker", False, f"last tick {int(age.total_seconds())} s ago")
    return Check("worker", True, f"last tick {int(age.total_seconds())} s ago")


def oldest_due(now: datetime) -> timedelta:
    due = Message.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now)
    first = due.aggregate(first=Min("next_attempt_at"))["first"]
    return now - first if first is not None else timedelta()


def _outbox(now: datetime) -> Check:
    waited = oldest_due(now)
    if waited > STUCK_AFTER:
        return Check("outbox", False, f"a message due {int(waited.total_seconds())} s ago waits")
    return Check("outbox", True, "moving")


def readiness(now: datetime) -> list[Check]:
    checks = [_reachable(alias) for alias in DATABASES]
    if not all(check.ok for check in checks):
        return checks  # nothing else can be read
    checks += [_migrated(alias) for alias in DATABASES]
    if all(check.ok for check in checks):
        checks += [_heartbeat(now), _outbox(now)]
    return checks


# --- Metrics, in the Prometheus text format ---------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


def _line(name: str, value: float, **labels: str) -> str:
    if labels:
        inside = ",".join(f'{key}="{text}"' for key, text in sorted(labels.items()))
        return f"{name}{{{inside}}} {_number(value)}"
    return f"{name} {_number(value)}"


def metrics(now: datetime) -> str:
    today = timezone.localdate(now)
    lines: list[str] = []

    def gauge(name: str, helptext: str, values: list[tuple[dict[str, str], float]]) -> None:
        lines.append(f"# HELP {name} {helptext}")
        lines.append(f"# TYPE {name} gauge")
        lines.extend(_line(name, value, **labels) for labels, value in values)

    by_status = dict(Message.objects.values_list("status").annotate(n=Count("pk")))
    gauge(
        "goodskin_outbox_messages",
        "Messages in the outbox, by status.",
        [({"status": str(status)}, by_status.get(status, 0)) for status in Status.values],
    )
    gauge(
        "goodskin_outbox_oldest_due_seconds",
        "How long the oldest message that is due has waited.",
        [({}, oldest_due(now).total_seconds())],
    )
    queue = queue_summary(today=today)  # the same counts the request queue shows
    gauge(
        "goodskin_requests_overdue",
        "Open privacy requests past their deadline.",
        [({}, queue["overdue"])],
    )
    gauge(
        "goodskin_requests_due_this_week",
        "Open privacy requests due in the next seven days.",
        [({}, queue["due_this_week"])],
    )
    gauge(
        "goodskin_tasks_failed",
        "Background tasks that ended in failure.",
        [({}, DBTaskResult.objects.filter(status="FAILED").count())],
    )
    gauge(
        "goodskin_purge_lag_seconds",
        "How long the oldest row each retention rule should have removed has waited.",
        [
            ({"rule": rule.key}, purge_lag(rule, now).total_seconds())
            for rule in RetentionRule.objects.order_by("key")
        ],
    )
    verified = (
        JobRun.objects.filter(job="audit", outcome=Outcome.DONE)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    gauge(
        "goodskin_audit_chain_verified_timestamp_seconds",
        "When the audit chain was last verified intact (0: never).",
        [({}, verified.timestamp() if verified else 0)],
    )
    hour_ago = now - timedelta(hours=1)
    failures = AuditEntry.objects.filter(
        occurred_at__gte=hour_ago,
        event__in=[Event.SIGN_IN_FAILED, Event.SIGN_IN_THROTTLED, Event.SECOND_FACTOR_FAILED],
    ).count()
    gauge(
        "goodskin_sign_in_failures_last_hour", "Failed sign-ins in the last hour.", [({}, failures)]
    )
    sending = Campaign.objects.filter(status=CampaignStatus.SENDING).order_by("pk")
    gauge(
        "goodskin_campaign_progress_ratio",
        "How much of each campaign that is sending has been delivered.",
        [({"campaign": str(c.pk)}, campaign_progress(c).percent / 100) for c in sending],
    )
    last_by_job: dict[str, JobRun] = {}
    for run in JobRun.objects.order_by("-slot")[:500]:  # a few days of every job
        last_by_job.setdefault(run.job, run)
    gauge(
        "goodskin_job_last_failed",
        "1 when a periodic job's last run failed.",
        [
            ({"job": job}, float(run.outcome == Outcome.FAILED))
            for job, run in sorted(last_by_job.items())
        ],
    )
    newest = newest_heartbeat()
    gauge(
        "goodskin_worker_heartbeat_age_seconds",
        "Seconds since a task worker last ticked (-1: never).",
        [({}, (now - newest).total_seconds() if newest else -1)],
    )
    return "\n".join(lines) + "\n"
