"""The real background worker: a task queued in the database is delivered by `db_worker`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from goodskin.accounts.models import User
from goodskin.core.smtp_sink import SmtpSink


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_the_verification_email_queued_by_registration(
    client: Client, settings: Settings, smtp_sink: SmtpSink
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.post(
        "/accounts/register/",
        {
            "full_name": "Rosa Delgado",
            "email": "rosa@example.com",
            "date_of_birth": "1990-04-25",
            "password": "Lavender-Harbour-42",
            "password_again": "Lavender-Harbour-42",
        },
    )
    assert response.status_code == 302
    assert smtp_sink.messages == []  # queued, not sent in the request
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())

    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "rosa@example.com"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert User.objects.get().email == "rosa@example.com"
