"""The nightly retention run, as a task that books its own next night.

django.tasks has no calendar, so the task enqueues itself for the next 03:00 (clinic time) when it
finishes; `schedule_nightly` books the first one and never books a second while one is waiting.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.tasks import default_task_backend, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from goodskin.core.context import Actor, acting_as
from goodskin.retention.actions import apply_retention, remind_due_holds

RUN_AT = time(3, 0)


def next_run(after: datetime) -> datetime:
    local = timezone.localtime(after)
    candidate = local.replace(hour=RUN_AT.hour, minute=RUN_AT.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + timedelta(days=1)


def schedule_nightly(*, now: datetime | None = None) -> bool:
    """Book the next nightly run unless one is already booked. True if it booked one."""
    if not default_task_backend.supports_defer:
        return False

    path = f"{nightly_retention.func.__module__}.{nightly_retention.func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return False
    nightly_retention.using(run_after=next_run(now or timezone.now())).enqueue()
    return True


@task
def nightly_retention() -> None:
    with acting_as(Actor.system("retention")):
        apply_retention()
        remind_due_holds(today=timezone.localdate())
    schedule_nightly()
