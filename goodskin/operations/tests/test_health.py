"""/healthz says the process answers; /readyz says whether it should get traffic, naming what is
wrong; /metrics speaks Prometheus' text format, only to the holder of the token."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from goodskin.communications.actions.outbox import queue_essential_email
from goodskin.communications.models import Message
from goodskin.communications.tests.conftest import person
from goodskin.operations import health
from goodskin.operations.models import Heartbeat

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture(autouse=True)
def _fresh_migration_check() -> None:
    health._MIGRATIONS_CHECKED.clear()  # noqa: SLF001  (each test reads the migrations afresh)


def ready(client: Client) -> tuple[int, dict[str, object]]:
    response = client.get("/readyz")
    return response.status_code, json.loads(response.content)


def test_healthz_answers_while_the_process_runs(client: Client) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")


def test_readyz_is_ready_with_both_databases_migrated_a_worker_ticking_and_mail_moving(
    client: Client,
) -> None:
    Heartbeat.objects.create(worker="w", seen_at=timezone.now())
    status, body = ready(client)
    assert status == 200
    assert body["ready"] is True
    assert body["checks"] == {
        "database_default": "reachable",
        "database_keyring": "reachable",
        "migrations_default": "all applied",
        "migrations_keyring": "all applied",
        "worker": "last tick 0 s ago",
        "outbox": "moving",
    }


def test_readyz_is_503_without_a_worker_heartbeat_younger_than_a_minute(client: Client) -> None:
    Heartbeat.objects.create(worker="w", seen_at=timezone.now() - timedelta(seconds=75))
    status, body = ready(client)
    assert status == 503
    assert body["failing"] == ["worker"]
    assert body["checks"]["worker"] == "last tick 75 s ago"  # type: ignore[index]
    Heartbeat.objects.all().delete()
    assert ready(client)[1]["checks"]["worker"] == (  # type: ignore[index]
        "no task worker has ticked: run manage.py start_jobs"
    )


def test_readyz_is_503_when_a_due_message_has_waited_a_quarter_of_an_hour(client: Client) -> None:
    queue_essential_email(
        person=person("rosa@example.com"),
        template="accounts/email/verify_email",
        language="en",
        context={"user": {"full_name": "Rosa"}, "link": "https://example.test/"},
    )
    Message.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=16), status="queued")
    Heartbeat.objects.create(worker="w", seen_at=timezone.now())
    status, body = ready(client)
    assert status == 503
    assert body["failing"] == ["outbox"]


def test_metrics_without_the_token_is_401_and_with_it_speaks_prometheus(
    client: Client, settings: Settings
) -> None:
    assert client.get("/metrics").status_code == 401  # no token set: closed to everyone
    settings.METRICS_TOKEN = TOKEN
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"] == 'Bearer realm="metrics"'

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
    text = response.content.decode()
    for name in (
        "goodskin_outbox_messages",
        "goodskin_outbox_oldest_due_seconds",
        "goodskin_requests_overdue",
        "goodskin_requests_due_this_week",
        "goodskin_tasks_failed",
        "goodskin_purge_lag_seconds",
        "goodskin_audit_chain_verified_timestamp_seconds",
        "goodskin_sign_in_failures_last_hour",
        "goodskin_campaign_progress_ratio",
        "goodskin_job_last_failed",
        "goodskin_worker_heartbeat_age_seconds",
    ):
        assert f"# TYPE {name} gauge" in text
    assert 'goodskin_outbox_messages{status="queued"} 0' in text
    assert 'goodskin_purge_lag_seconds{rule="submission"} 0' in text
    assert "goodskin_worker_heartbeat_age_seconds -1" in text
    assert "@" not in text  # counts and ages, never anyone's values


def test_the_audit_verification_job_sets_the_metric(client: Client, settings: Settings) -> None:
    settings.METRICS_TOKEN = TOKEN
    from goodskin.operations.jobs import JOBS, run_slot  # noqa: PLC0415

    audit = next(job for job in JOBS if job.name == "audit")
    run_slot(audit, audit.last_slot(timezone.now()))
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    line = next(x for x in text.splitlines() if x.startswith("goodskin_audit_chain_verified_"))
    assert float(line.split()[-1]) > timezone.now().timestamp() - 60
