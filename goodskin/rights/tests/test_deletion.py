"""A deletion ends with a confirmation, to the address captured before the erasure and then
forgotten, saying what went and what stays; and a crash at any point is finished, never left
as a "done" request with nothing erased."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.delivery import deliver_all_due
from goodskin.communications.models import Message
from goodskin.communications.models import Status as MessageStatus
from goodskin.core.smtp_sink import SmtpSink
from goodskin.retention.actions import erase_unless_held, place_hold
from goodskin.rights.actions.deletion import begin_deletion
from goodskin.rights.actions.fulfilment import fulfil_request
from goodskin.rights.models import DataRequest, Status
from goodskin.rights.tests.test_lifecycle import TODAY, verified
from goodskin.submissions.actions import submit_contact_message
from goodskin.vault.models import ErasureReason, Person, PersonKey

pytestmark = pytest.mark.django_db


def with_a_message(request: DataRequest) -> DataRequest:
    submit_contact_message(
        full_name="Rosa Delgado",
        email="rosa@example.com",
        phone="",
        topic="question",
        message="Do you treat melasma?",
        language="en",
        client_address="192.0.2.9",
        today=timezone.localdate(),
    )
    return request


def farewell() -> Message:
    return Message.objects.get(template="rights/email/deleted")


def test_a_deletion_ends_with_a_confirmation_saying_what_went_and_what_stays(
    smtp_sink: SmtpSink,
) -> None:
    request = with_a_message(verified("delete"))
    smtp_sink.clear()

    fulfil_request(request=request, today=TODAY)
    deliver_all_due()

    [sent] = [m for m in smtp_sink.messages if m["Subject"].startswith("Your information has")]
    assert sent["To"] == "rosa@example.com"
    assert sent["Subject"] == f"Your information has been deleted ({request.reference})"
    body = sent.get_content()
    assert f"We have deleted your information, as you asked (request {request.reference})." in body
    assert "What we deleted:" in body
    assert "- your name" in body
    assert "A record that you made this request and how we answered it" in body
    assert "we have now forgotten it too" in body
    # …and the address is forgotten: the message has no person, no words, and no key left.
    message = farewell()
    assert (message.person_id, message.status) == (None, MessageStatus.SENT)
    assert (message.address_sealed, message.subject_sealed, message.body_sealed) == (None,) * 3
    assert message.own_key_id is not None
    assert not PersonKey.objects.filter(key_id=message.own_key_id).exists()
    assert Person.objects.get(pk=request.person_id).erased_at is not None
    assert DataRequest.objects.get(pk=request.pk).status == Status.FULFILLED


def test_the_confirmation_can_be_read_in_spanish(smtp_sink: SmtpSink) -> None:
    request = verified("delete")
    DataRequest.objects.filter(pk=request.pk).update(language="es")
    fulfil_request(request=DataRequest.objects.get(pk=request.pk), today=TODAY)
    deliver_all_due()
    [sent] = [m for m in smtp_sink.messages if "ha sido eliminada" in m["Subject"]]
    assert "Hemos eliminado su información" in sent.get_content()


def test_a_crash_after_the_farewell_was_written_is_finished_by_the_daily_run(
    smtp_sink: SmtpSink,
) -> None:
    request = with_a_message(verified("delete"))
    begin_deletion(request=request)  # …and the process dies here
    deliver_all_due()
    assert farewell().status == MessageStatus.WAITING  # nothing told before it is true
    assert DataRequest.objects.get(pk=request.pk).status != Status.FULFILLED

    call_command("remind_requests", stdout=StringIO())
    deliver_all_due()

    assert Person.objects.get(pk=request.person_id).erased_at is not None
    assert DataRequest.objects.get(pk=request.pk).status == Status.FULFILLED
    assert farewell().status == MessageStatus.SENT
    told = [m for m in smtp_sink.messages if m["Subject"].startswith("Your information has")]
    assert len(told) == 1


def test_a_crash_after_the_erasure_before_marking_done_is_finished_once(
    smtp_sink: SmtpSink,
) -> None:
    request = with_a_message(verified("delete"))
    begin_deletion(request=request)
    erase_unless_held(person=request.person, reason=ErasureReason.DELETION_REQUEST)  # then dies

    call_command("remind_requests", stdout=StringIO())
    call_command("remind_requests", stdout=StringIO())  # and again: nothing more happens
    deliver_all_due()

    assert DataRequest.objects.get(pk=request.pk).status == Status.FULFILLED
    assert AuditEntry.objects.filter(event=Event.PERSON_ERASED).count() == 1
    assert AuditEntry.objects.filter(event=Event.REQUEST_FULFILLED).count() == 1
    told = [m for m in smtp_sink.messages if m["Subject"].startswith("Your information has")]
    assert len(told) == 1


def test_under_a_legal_hold_the_farewell_never_goes_and_is_forgotten(smtp_sink: SmtpSink) -> None:
    request = verified("delete")
    place_hold(
        reason="fees_owed",
        case_reference="INV-2291",
        review_on=TODAY + timedelta(days=30),
        people=[request.person],
        today=TODAY,
    )

    fulfil_request(request=request, today=TODAY)
    deliver_all_due()

    message = farewell()
    assert (message.status, message.last_error) == (
        MessageStatus.CANCELLED,
        "Not sent: the data was kept under a legal hold",
    )
    assert (message.address_sealed, message.subject_sealed, message.body_sealed) == (None,) * 3
    assert message.own_key_id is not None
    assert not PersonKey.objects.filter(key_id=message.own_key_id).exists()
    assert (
        AuditEntry.objects.filter(event=Event.MESSAGE_NOT_SENT, target_id=str(message.pk)).count()
        == 1
    )
    assert not [m for m in smtp_sink.messages if m["Subject"].startswith("Your information has")]
    assert Person.objects.get(pk=request.person_id).erased_at is None
