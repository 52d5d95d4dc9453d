"""One message never stops the others: whatever goes wrong with one message ends that message
alone, with a reason in our words, and the batch goes on (DESIGN invariant 10). And one address
rule at every door: a mailbox name outside ASCII only where the mail server speaks SMTPUTF8."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.actions.campaigns import queue_campaign_batch, schedule_campaign
from goodskin.communications.models import Message, Status
from goodskin.communications.tests.conftest import campaign, deliver, opted_in, person
from goodskin.communications.tests.test_outbox import queue_reset_like_email
from goodskin.core.smtp_sink import SmtpSink
from goodskin.rights.models import DataRequest
from goodskin.vault.models import Person

pytestmark = pytest.mark.django_db

CYRILLIC_ALICE = "\u0430lice@example.com"  # the first letter is Cyrillic "а", not Latin "a"


def test_an_address_the_mail_server_cannot_take_fails_alone_and_its_neighbours_are_sent(
    smtp_sink: SmtpSink, queue_only: None, caplog: pytest.LogCaptureFixture
) -> None:
    # Addresses kept before the intake rule existed can still hold such a name.
    lena, alice, rosa = (
        person(address) for address in ("lena@example.com", CYRILLIC_ALICE, "rosa@example.com")
    )
    for someone in (lena, alice, rosa):
        queue_reset_like_email(someone)

    report = deliver()

    assert sorted(message["To"] for message in smtp_sink.messages) == [
        "lena@example.com",
        "rosa@example.com",
    ]
    assert report.outcomes == {"sent": 2, "failed": 1}
    bad = Message.objects.get(person=alice)
    assert (bad.status, bad.attempts) == (Status.FAILED, 1)
    assert bad.last_error == (
        "Could not be prepared for sending (ValueError); nothing was sent. "
        "Check the person's address."
    )
    assert bad.body_sealed is None
    assert AuditEntry.objects.filter(event=Event.MESSAGE_NOT_SENT, subject_id=str(alice.pk)).get()
    assert "lice@example.com" not in caplog.text  # the exception's text named the address

    assert deliver().claimed == 0  # set aside, never claimed again
    assert len(smtp_sink.messages) == 2


def test_a_campaign_with_one_undeliverable_address_still_reaches_everyone_else(
    smtp_sink: SmtpSink, queue_only: None
) -> None:
    addresses = [f"guest{number}@example.com" for number in range(12)]
    addresses.insert(5, CYRILLIC_ALICE)
    for address in addresses:
        opted_in(person(address), "offers")
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=offer.created_at)
    queue_campaign_batch(campaign_id=offer.pk)

    report = deliver()

    assert report.outcomes == {"sent": 12, "failed": 1}
    assert len(smtp_sink.messages) == 12
    assert Message.objects.filter(campaign=offer, status=Status.FAILED).count() == 1


@pytest.mark.parametrize(
    "address", [CYRILLIC_ALICE, "jos\u00e9@example.com", "\u7528\u6237@example.com"]
)
def test_every_door_refuses_a_mailbox_name_our_mail_server_cannot_deliver_to(
    client: Client, address: str
) -> None:
    register = client.post(
        "/accounts/register/",
        {
            "full_name": "Alice Moreno",
            "email": address,
            "date_of_birth": "1990-04-02",
            "password": "a long walk in Topanga",
            "password_again": "a long walk in Topanga",
        },
    )
    api = client.post(
        "/api/v1/rights/requests",
        json.dumps({"kind": "access", "state": "CA", "email": address}),
        content_type="application/json",
    )
    contact = client.post(
        "/contact/",
        {"name": "Alice", "email": address, "message": "Hello", "preferred_clinic": ""},
    )

    assert register.status_code == 400
    assert "only the letters a to z" in register.context["form"].errors["email"][0]
    assert api.status_code == 400
    assert api.json()["detail"].startswith("email: The part before the @ has a letter")
    assert contact.status_code == 400
    assert "only the letters a to z" in contact.context["form"].errors["email"][0]
    assert not Person.objects.exists()
    assert not DataRequest.objects.exists()


def test_where_the_mail_server_speaks_smtputf8_such_an_address_is_accepted_and_delivered(
    client: Client, settings: Settings, smtp_sink: SmtpSink
) -> None:
    settings.SMTP_SMTPUTF8 = True

    response = client.post(
        "/api/v1/rights/requests",
        json.dumps({"kind": "access", "state": "CA", "email": "jos\u00e9@example.com"}),
        content_type="application/json",
    )

    deliver()

    assert response.status_code == 201
    assert [message["To"] for message in smtp_sink.messages] == ["jos\u00e9@example.com"] * 2
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}
