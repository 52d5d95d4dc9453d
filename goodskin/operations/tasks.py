"""The ticker: a task that turns the job registry (operations.jobs) once a minute."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.tasks import default_task_backend, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from goodskin.core.context import Actor, acting_as
from goodskin.operations.jobs import TICK, tick


def book_ticker(*, now: datetime | None = None, delay: timedelta = timedelta()) -> bool:
    """Book the next tick (`delay` from now) unless one is already waiting. True if it did."""
    if not default_task_backend.supports_defer:
        return False
    path = f"{ticker.func.__module__}.{ticker.func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return False
    ticker.using(run_after=(now or timezone.now()) + delay).enqueue()
    return True


@task
def ticker() -> None:
    with acting_as(Actor.system("jobs")):
        tick(worker=f"{socket.gethostname()}:{os.getpid()}")
    book_ticker(delay=TICK)
