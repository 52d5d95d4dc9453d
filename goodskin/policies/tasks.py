"""Worker entry points for announcing material changes: thin, idempotent, safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from goodskin.communications.tasks import run_later
from goodskin.core.context import Actor, acting_as
from goodskin.policies import actions


@task
def announce_version(*, version_id: int) -> None:
    """Give every account holder their notice, batch by batch, each its own transaction; a
    crash resumes from the last committed batch. Then record deliveries as the outbox sends."""

    with acting_as(Actor.system("policy-notices")):
        while not actions.announce_batch(version_id=version_id):
            pass
    run_later(record_notice_deliveries, at=timezone.now() + timedelta(minutes=5), rounds=12)


@task
def record_notice_deliveries(*, rounds: int = 1) -> None:
    """Copy send times onto notices; repeat a few times while the outbox works through them."""

    with acting_as(Actor.system("policy-notices")):
        actions.record_deliveries()
    if rounds > 1:
        run_later(
            record_notice_deliveries,
            at=timezone.now() + timedelta(minutes=30),
            rounds=rounds - 1,
        )
