"""Worker entry points: thin, idempotent, safe to run twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.tasks import Task, default_task_backend, task
from django.utils import timezone

from goodskin.communications import delivery

# By module: the campaign actions queue these tasks, importing this module in turn.
from goodskin.communications.actions import campaigns
from goodskin.core.context import Actor, acting_as


def run_later(work: Task[Any, Any], *, at: datetime | None, **kwargs: Any) -> None:
    """Enqueue `work` to run at `at`. A backend that cannot defer (the tests' immediate one)
    runs it now if it is due, and otherwise leaves it to `manage.py deliver_outbox`."""
    if default_task_backend.supports_defer and at is not None and at > timezone.now():
        work.using(run_after=at).enqueue(**kwargs)
    elif at is None or at <= timezone.now():
        work.enqueue(**kwargs)


@task
def deliver_outbox() -> None:
    report = delivery.deliver_all_due()
    if report.next_retry_at is not None:
        run_later(deliver_outbox, at=report.next_retry_at)


@task
def send_campaign(*, campaign_id: int) -> None:
    """Queue the audience in batches, each its own short transaction; the worker, not the web
    process, does the work, and a crash resumes from the last committed batch."""
    with acting_as(Actor.system("campaigns")):
        while not campaigns.queue_campaign_batch(campaign_id=campaign_id):
            pass
