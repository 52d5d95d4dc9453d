"""Worker entry point for breach notices: thin, idempotent, safe to run twice."""

from __future__ import annotations

from django.tasks import task

from goodskin.core.context import Actor, acting_as
from goodskin.incidents.actions import notify_batch


@task
def send_breach_notices(*, incident_id: int) -> None:
    with acting_as(Actor.system("breach-notices")):
        while not notify_batch(incident_id=incident_id):
            pass
