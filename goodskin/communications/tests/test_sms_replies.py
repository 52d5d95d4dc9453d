"""A STOP reply to a marketing text ends marketing texts to that number at once."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.models import Suppression
from goodskin.communications.queries import choices_for
from goodskin.communications.tests.conftest import opted_in, person

pytestmark = pytest.mark.django_db
SECRET = "provider-shared-secret-for-tests"


@pytest.fixture(autouse=True)
def webhook_secret(settings: Settings) -> None:
    settings.SMS_WEBHOOK_SECRET = SECRET


def reply(client: Client, body: str, sender: str = "(310) 555-0123", secret: str = SECRET):  # type: ignore[no-untyped-def]  # a test response
    return client.post(
        "/api/v1/sms/inbound",
        json.dumps({"from": sender, "body": body}),
        content_type="application/json",
        headers={"X-GoodSkin-Webhook-Secret": secret},
    )


def test_stop_switches_off_marketing_texts_and_leaves_email_alone(client: Client) -> None:
    eve = person("eve@example.com", phone="+13105550123")
    opted_in(eve, "offers", channel="sms")
    opted_in(eve, "offers", channel="email")

    response = reply(client, " stop ")

    assert response.status_code == 204
    assert choices_for(eve)[("offers", "sms")] is False
    assert choices_for(eve)[("offers", "email")] is True
    assert sorted(Suppression.objects.values_list("channel", "topic", "reason")) == [
        ("sms", "", "unsubscribed"),
        ("sms", "newsletter", "unsubscribed"),
        ("sms", "offers", "unsubscribed"),
    ]


def test_stop_from_an_unknown_number_is_recorded_without_creating_anyone(client: Client) -> None:
    assert reply(client, "UNSUBSCRIBE", sender="+13105550999").status_code == 204
    assert Suppression.objects.get().channel == "sms"
    assert AuditEntry.objects.get(event=Event.ADDRESS_SUPPRESSED).subject_id == ""


def test_other_replies_change_nothing(client: Client) -> None:
    eve = opted_in(person("eve@example.com", phone="+13105550123"), "offers", channel="sms")
    assert reply(client, "What time do you open?").status_code == 204
    assert choices_for(eve)[("offers", "sms")] is True
    assert Suppression.objects.count() == 0


def test_a_wrong_secret_or_a_bad_number_is_refused_and_changes_nothing(
    client: Client, settings: Settings
) -> None:
    eve = opted_in(person("eve@example.com", phone="+13105550123"), "offers", channel="sms")
    wrong = reply(client, "STOP", secret="guess")
    bad_number = reply(client, "STOP", sender="not a number")
    settings.SMS_WEBHOOK_SECRET = ""
    unconfigured = reply(client, "STOP")

    assert (wrong.status_code, wrong.json()) == (
        403,
        {"detail": "the webhook secret is missing or wrong"},
    )
    assert (bad_number.status_code, bad_number.json()) == (
        400,
        {"detail": "from: not a valid phone number"},
    )
    assert unconfigured.status_code == 404
    assert choices_for(eve)[("offers", "sms")] is True
    assert Suppression.objects.count() == 0


def test_a_site_without_an_sms_provider_has_no_such_endpoint_and_logs_no_errors(
    client: Client, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SMS_WEBHOOK_SECRET = ""
    with caplog.at_level("INFO"):
        answers = [reply(client, "STOP").status_code for _ in range(3)]
    assert answers == [404, 404, 404]
    assert [record for record in caplog.records if record.levelname == "ERROR"] == []
