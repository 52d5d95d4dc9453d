"""A correction changes exactly the pieces named, everywhere we hold them, keeps the old and new
values sealed, tells the person, and tells every recipient that received the piece."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.delivery import deliver_all_due
from goodskin.communications.models import Message
from goodskin.core.smtp_sink import SmtpSink
from goodskin.disclosures.actions import record_disclosure
from goodskin.disclosures.models import Recipient
from goodskin.rights.actions.common import TransitionRefused
from goodskin.rights.actions.corrections import apply_correction
from goodskin.rights.actions.fulfilment import fulfil_request
from goodskin.rights.actions.intake import open_request
from goodskin.rights.models import Channel, Correction, DataRequest, Status
from goodskin.rights.tests.test_lifecycle import TODAY
from goodskin.rights.tests.test_verification import enter_code
from goodskin.submissions.actions import submit_consultation, submit_contact_message
from goodskin.submissions.models import ConsultationRequest, ContactMessage
from goodskin.vault.corrections import CorrectionRefused, Item
from goodskin.vault.models import Person

pytestmark = pytest.mark.django_db
NEW_NAME = "Rosa María Delgado Ruiz"


def forms_from(email: str = "rosa@example.com", *, phone: str = "+13105550142") -> None:
    common: dict[str, Any] = {
        "full_name": "Rosa Delgdo",
        "email": email,
        "language": "en",
        "client_address": "192.0.2.9",
        "today": timezone.localdate(),
    }
    submit_consultation(
        phone=phone,
        treatment=None,
        clinic=None,
        preferred_time="any",
        message="A consultation, please.",
        **common,
    )
    submit_contact_message(phone="", topic="question", message="Hours?", **common)


def correction_request(*items: str, email: str = "rosa@example.com") -> DataRequest:
    account = make_account(email=email, verified=True)
    opened = open_request(
        kind="correct",
        email=email,
        state="CA",
        today=TODAY,
        channel=Channel.ACCOUNT,
        signed_in_person=account.person,
        details="My name is misspelt and my phone changed.",
        correct_items=list(items),
    )
    assert opened.request.status == Status.VERIFIED
    return opened.request


def test_a_correction_changes_every_copy_of_the_pieces_named_and_nothing_else() -> None:
    request = correction_request("name", "phone")
    forms_from()
    user = User.objects.get(email="rosa@example.com")
    born = user.date_of_birth

    done = apply_correction(
        request=request,
        changes={Item.NAME: NEW_NAME, Item.PHONE: "+13105550199"},
        note="",
        today=TODAY,
    )

    user.refresh_from_db()
    person = Person.objects.get(pk=request.person_id)
    assert user.full_name == NEW_NAME
    assert {row.full_name for row in ConsultationRequest.objects.all()} == {NEW_NAME}
    assert {row.full_name for row in ContactMessage.objects.all()} == {NEW_NAME}
    assert person.phone is None  # the account never had one, so nothing is filled in
    assert ConsultationRequest.objects.get().phone == "+13105550199"
    assert ContactMessage.objects.get().phone == ""  # never given, so not filled in
    # …and nothing that was not named moved.
    assert (user.email, user.date_of_birth, person.email) == (
        "rosa@example.com",
        born,
        "rosa@example.com",
    )
    assert [change.rows for change in done.changes] == [
        {"accounts.User": 1, "submissions.ConsultationRequest": 1, "submissions.ContactMessage": 1},
        {"submissions.ConsultationRequest": 1},
    ]
    assert DataRequest.objects.get(pk=request.pk).status == Status.FULFILLED


def test_the_old_and_new_values_are_kept_sealed_and_the_audit_names_only_the_pieces() -> None:
    request = correction_request("name")
    forms_from()
    apply_correction(request=request, changes={Item.NAME: NEW_NAME}, note="", today=TODAY)

    correction = Correction.objects.get()
    assert (correction.item, correction.old, correction.new, correction.rows) == (
        "name",
        "Rosa Delgado\nRosa Delgdo",
        NEW_NAME,
        3,
    )
    raw = bytes(correction.old_sealed) + bytes(correction.new_sealed)
    assert b"Rosa" not in raw
    assert b"Delgado" not in raw
    entry = AuditEntry.objects.get(event=Event.INFORMATION_CORRECTED)
    assert entry.data == {"items": ["name"], "rows": 3, "recipients_told": []}
    assert "Rosa" not in str(entry.data)


def test_the_person_is_told_what_was_corrected_in_their_language(smtp_sink: SmtpSink) -> None:
    request = correction_request("name", "phone")
    forms_from()
    DataRequest.objects.filter(pk=request.pk).update(language="es")
    deliver_all_due()
    smtp_sink.clear()
    apply_correction(
        request=DataRequest.objects.get(pk=request.pk),
        changes={Item.NAME: NEW_NAME, Item.PHONE: "+13105550199"},
        note="",
        today=TODAY,
    )
    deliver_all_due()

    [letter] = smtp_sink.messages
    assert letter["To"] == "rosa@example.com"
    assert letter["Subject"] == f"Corregimos su información (solicitud {request.reference})"
    body = letter.get_content()
    assert "- Nombre\r\n- Número de teléfono\r\n" in body
    assert NEW_NAME not in body  # what changed, not the values, goes by email


def test_every_recipient_that_received_the_piece_is_told_and_no_other(
    smtp_sink: SmtpSink,
) -> None:
    request = correction_request("email", "name")
    forms_from()
    Recipient.objects.filter(slug="email-delivery").update(privacy_contact="privacy@mailer.example")
    officer = User.objects.create_user(
        "officer@goodskinclinics.com", "Officer-Console-Pass-9", full_name="Pat", is_staff=True
    )
    record_disclosure(
        kind="processor_export",
        recipient=Recipient.objects.get(slug="auditors"),
        reference="AUDIT-2026",
        categories=["user.name"],
        people=[request.person],
        approved_by=officer,
    )
    deliver_all_due()
    smtp_sink.clear()

    done = apply_correction(
        request=request,
        changes={Item.EMAIL: "rosa.delgado@example.com", Item.NAME: NEW_NAME},
        note="",
        today=TODAY,
    )
    deliver_all_due()

    email_change, name_change = Correction.objects.order_by("pk")
    assert email_change.recipients == [
        {"slug": "email-delivery", "name": "Email delivery provider", "emailed": True}
    ]
    assert name_change.recipients == [
        {"slug": "auditors", "name": "Auditors and accountants", "emailed": False}
    ]
    assert done.by_hand == ["Auditors and accountants"]
    [to_processor] = [m for m in smtp_sink.messages if m["To"] == "privacy@mailer.example"]
    body = to_processor.get_content()
    assert "What: Email address" in body
    assert "It should say: rosa.delgado@example.com" in body
    assert "1798.106(c)" in body
    # The text-message provider never received either piece, so it hears nothing.
    assert not Message.objects.filter(template="rights/email/recipient_correction").exclude(
        dedupe_key=f"rights:{request.reference}:email:email-delivery"
    )


def test_a_changed_address_is_unverified_and_the_old_address_is_told(smtp_sink: SmtpSink) -> None:
    request = correction_request("email")
    forms_from()
    deliver_all_due()
    smtp_sink.clear()

    apply_correction(
        request=request, changes={Item.EMAIL: "Rosa.New@Example.com"}, note="", today=TODAY
    )
    deliver_all_due()

    person = Person.objects.get(pk=request.person_id)
    user = User.objects.get(person=person)
    assert (person.email, person.email_verified_at) == ("rosa.new@example.com", None)
    assert (user.email, user.email_verified_at) == ("rosa.new@example.com", None)
    assert {row.email for row in ConsultationRequest.objects.all()} == {"rosa.new@example.com"}
    to = sorted(m["To"] for m in smtp_sink.messages)
    assert to == ["rosa.new@example.com", "rosa@example.com"]
    [warning] = [m for m in smtp_sink.messages if m["To"] == "rosa@example.com"]
    assert "This is the last message we send to this address." in warning.get_content()
    # The old address lives only in the sealed correction record, not in the outbox.
    old = Message.objects.get(template="rights/email/corrected_old_address")
    assert (old.person_id, old.address_sealed) == (None, None)


def test_an_address_that_belongs_to_someone_else_is_refused_and_nothing_changes() -> None:
    make_account(email="other@example.com")
    request = correction_request("email", "name")

    with pytest.raises(CorrectionRefused, match="Another person's record already uses"):
        apply_correction(
            request=request,
            changes={Item.NAME: NEW_NAME, Item.EMAIL: "other@example.com"},
            note="",
            today=TODAY,
        )

    assert User.objects.get(email="rosa@example.com").full_name == "Rosa Delgado"
    assert DataRequest.objects.get(pk=request.pk).status == Status.VERIFIED
    assert not Correction.objects.exists()
    assert not AuditEntry.objects.filter(event=Event.INFORMATION_CORRECTED).exists()


def test_a_piece_we_do_not_hold_or_already_hold_is_refused_on_its_field() -> None:
    request = correction_request("phone", "name")
    with pytest.raises(CorrectionRefused, match="We hold no value for this") as nothing:
        apply_correction(
            request=request, changes={Item.PHONE: "+13105550199"}, note="", today=TODAY
        )
    assert nothing.value.item == Item.PHONE
    with pytest.raises(CorrectionRefused, match="already hold"):
        apply_correction(request=request, changes={Item.NAME: "Rosa Delgado"}, note="", today=TODAY)
    assert DataRequest.objects.get(pk=request.pk).status == Status.VERIFIED


def test_a_correction_cannot_be_closed_with_words_alone_through_the_general_fulfil() -> None:
    request = correction_request("name")
    with pytest.raises(TransitionRefused, match="Use the correction form"):
        fulfil_request(request=request, today=TODAY, note="Done.")
    with pytest.raises(TransitionRefused, match="Enter the corrected value"):
        apply_correction(request=request, changes={}, note=" ", today=TODAY)
    assert DataRequest.objects.get(pk=request.pk).status == Status.VERIFIED


def test_someone_without_an_account_who_only_sent_a_form_is_corrected(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    forms_from("lena@example.com")
    deliver_all_due()
    smtp_sink.clear()
    request = enter_code(
        client,
        smtp_sink,
        django_capture_on_commit_callbacks,
        kind="correct",
        email="lena@example.com",
        details="My name is Lena, not Rosa.",
        correct_items="name",
    )
    assert (request.status, request.correct_items) == (Status.VERIFIED, ["name"])

    apply_correction(request=request, changes={Item.NAME: "Lena Ortiz"}, note="", today=TODAY)

    forms = [*ConsultationRequest.objects.all(), *ContactMessage.objects.all()]
    names = {row.full_name for row in forms}
    assert names == {"Lena Ortiz"}
    assert not User.objects.filter(person=request.person).exists()


@pytest.fixture
def officer_client(officer: Client) -> Client:
    return officer


def test_the_staff_form_offers_exactly_the_pieces_named_with_what_we_hold(
    officer_client: Client,
) -> None:
    request = correction_request("phone", "name")
    forms_from()
    page = officer_client.get(f"/console/requests/{request.reference}/").content.decode()

    assert 'name="name"' in page
    assert 'name="phone"' in page
    assert 'name="email"' not in page
    assert 'name="date_of_birth"' not in page
    assert "We hold now: Rosa Delgado; Rosa Delgdo" in page
    assert "We hold now: +13105550142" in page
    assert "My name is misspelt and my phone changed." in page


def test_a_bad_value_on_the_staff_form_is_an_error_on_its_field_and_changes_nothing(
    officer_client: Client, unchanged: Any
) -> None:
    request = correction_request("phone", "name")
    forms_from()
    url = f"/console/requests/{request.reference}/"

    with unchanged():
        refused = officer_client.post(
            url, {"form": "correction", "name": NEW_NAME, "phone": "12", "note": ""}
        )

    assert refused.status_code == 400
    assert "Enter a phone number we can call" in refused.content.decode()
    assert User.objects.get(email="rosa@example.com").full_name == "Rosa Delgado"
    assert DataRequest.objects.get(pk=request.pk).status == Status.VERIFIED

    done = officer_client.post(url, {"form": "correction", "name": NEW_NAME, "phone": ""})
    assert done.status_code == 302
    assert User.objects.get(email="rosa@example.com").full_name == NEW_NAME
    shown = officer_client.get(url).content.decode()
    assert "What was corrected" in shown
    assert "Correct and close the request" not in shown


def test_a_birth_date_is_corrected_in_the_sealed_column() -> None:
    request = correction_request("date_of_birth")
    apply_correction(
        request=request, changes={Item.DATE_OF_BIRTH: date(1990, 5, 24)}, note="", today=TODAY
    )
    assert User.objects.get(email="rosa@example.com").date_of_birth == date(1990, 5, 24)
    assert Correction.objects.get().old == "1990-04-25"
