"""Confirmation emails for website forms: ids in, re-fetch, send once."""

from __future__ import annotations

from django.apps import apps
from django.tasks import task

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.core.context import Actor, acting_as
from goodskin.core.mail import send_essential


@task
def confirm_submission(*, model: str, row_id: int) -> None:
    row = apps.get_model(model)._default_manager.filter(pk=row_id).first()
    if row is None:  # erased since it was queued
        return
    kind = "consultation" if model == "submissions.consultationrequest" else "contact"
    with acting_as(Actor.system("submission-mail")):
        send_essential(
            to=row.email,
            template=f"submissions/email/{kind}_received",
            language=row.language,
            context={"name": row.full_name},
        )
        record(
            Event.EMAIL_SENT,
            subject=row.person,
            target=row,
            data={"template": f"submissions.{kind}_received"},
        )
