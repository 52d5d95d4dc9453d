"""A verified request runs to its end: one extension with notice before the first deadline, a
denial with reasons and the way to appeal, an access report behind an expiring link, and a
deletion that erases — or, under a legal hold, says what is kept and why."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.queries import choices_for
from goodskin.communications.tests.conftest import opted_in, person
from goodskin.core.smtp_sink import SmtpSink
from goodskin.retention.actions import place_hold
from goodskin.rights.actions.common import TransitionRefused
from goodskin.rights.actions.fulfilment import deny_request, extend_request, fulfil_request
from goodskin.rights.actions.intake import open_request
from goodskin.rights.actions.reminders import close_unverified
from goodskin.rights.models import Channel, DataRequest, Status
from goodskin.vault.models import Erasure, ErasureReason, Person, PersonKey
from goodskin.vault.routers import KEYRING

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def verified(kind: str, *, state: str = "CA", email: str = "rosa@example.com") -> DataRequest:
    account = make_account(email=email)
    opened = open_request(
        kind=kind,
        email=email,
        state=state,
        today=TODAY,
        channel=Channel.ACCOUNT,
        signed_in_person=account.person,
        details="My phone number is wrong; it should end 0199." if kind == "correct" else "",
    )
    assert opened.request.status == Status.VERIFIED
    return opened.request


def test_one_extension_with_notice_before_the_first_deadline_then_no_more(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    request = verified("access")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        extended = extend_request(
            request=request,
            reason="Your records span two clinics.",
            today=TODAY + timedelta(days=40),
        )
    assert (extended.status, extended.extended_due_on) == (Status.EXTENDED, date(2027, 2, 23))
    notice = next(m for m in smtp_sink.messages if "more time" in m["Subject"])
    assert "We will answer by Feb. 23, 2027 at the latest." in notice.get_content()
    assert "Your records span two clinics." in notice.get_content()
    with pytest.raises(TransitionRefused, match="already been extended once"):
        extend_request(request=request, reason="Again", today=TODAY + timedelta(days=41))


def test_an_extension_after_the_first_deadline_is_refused() -> None:
    request = verified("access")
    with pytest.raises(TransitionRefused, match="first deadline has passed"):
        extend_request(request=request, reason="Late", today=TODAY + timedelta(days=46))
    assert DataRequest.objects.get().extended_due_on is None


def test_a_denial_gives_reasons_and_the_appeal_route_of_the_state(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    request = verified("delete", state="VA")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        deny_request(
            request=request, reason="We must keep treatment records for seven years.", today=TODAY
        )
    letter = next(m for m in smtp_sink.messages if m["Subject"].startswith("Our answer"))
    body = letter.get_content()
    assert "We must keep treatment records for seven years." in body
    assert "We will decide within 60 days." in body
    assert "you may contact the Virginia Attorney General." in body
    assert DataRequest.objects.get().status == Status.DENIED


def test_an_access_request_yields_a_zip_with_every_table_and_an_expiring_link(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    request = verified("access")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        fulfil_request(request=request, today=TODAY)
    ready = next(m for m in smtp_sink.messages if "is ready" in m["Subject"])
    link = re.search(r"(http://testserver\S+)", ready.get_content()).group(1)  # type: ignore[union-attr]  # present
    client.force_login(request.person.account)

    download = client.get(link.removeprefix("http://testserver"))

    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert sorted(archive.namelist()) == ["report.html", "report.json"]
    data = json.loads(archive.read("report.json"))
    tables = {table["table"]: table for table in data["tables"]}
    assert tables["accounts.User"]["rows"][0]["email"] == "rosa@example.com"
    assert "your date of birth" in {item["what"] for item in data["categories"]}
    assert "code_hash" not in tables["rights.DataRequest"]["rows"][0]
    account_row = tables["accounts.User"]["rows"][0]
    assert account_row["date_of_birth"] == "1990-04-25"  # opened, named as a person reads it
    assert "password" not in account_row  # never handed over, even to the person
    assert tables["accounts.User"]["withheld"] == ["your password, stored only as a one-way hash"]
    password_hash = request.person.account.password
    assert password_hash not in archive.read("report.html").decode()
    assert password_hash not in archive.read("report.json").decode()
    assert data["disclosures"] == []
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert client.get(link.removeprefix("http://testserver")).status_code == 410
    assert client.get("/privacy/request/report/forged:token/").status_code == 410


def test_a_deletion_request_erases_the_person(smtp_sink: SmtpSink) -> None:
    request = verified("delete")
    key_id = request.person.key_id
    assert PersonKey.objects.using(KEYRING).filter(key_id=key_id).exists()
    fulfil_request(request=request, today=TODAY)
    person = Person.objects.get(pk=request.person_id)
    assert (person.email, person.erased_at is not None) == (None, True)
    assert DataRequest.objects.get().status == Status.FULFILLED
    # The key is gone, so every sealed copy is unreadable, and the keyring remembers why.
    assert not PersonKey.objects.using(KEYRING).filter(key_id=key_id).exists()
    journal = Erasure.objects.using(KEYRING).get(key_id=key_id)
    assert (journal.person_id, journal.reason) == (person.pk, ErasureReason.DELETION_REQUEST)
    account = User.objects.get(person=person)  # an anonymous shell that cannot sign in
    assert (account.full_name, account.date_of_birth, account.is_active) == ("", None, False)
    assert not account.email.startswith("rosa")
    erased = AuditEntry.objects.get(event=Event.PERSON_ERASED)
    assert erased.subject_id == str(person.pk)


def test_a_deletion_under_a_legal_hold_keeps_the_data_and_says_what_and_why(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    request = verified("delete")
    place_hold(
        reason="fees_owed",
        case_reference="INV-2291",
        review_on=TODAY + timedelta(days=30),
        people=[request.person],
        today=TODAY,
    )
    key_id = request.person.key_id
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        fulfil_request(request=request, today=TODAY)
    assert Person.objects.get(pk=request.person_id).email == "rosa@example.com"
    assert PersonKey.objects.using(KEYRING).filter(key_id=key_id).exists()  # still readable
    assert not Erasure.objects.using(KEYRING).exists()
    assert not AuditEntry.objects.filter(event=Event.PERSON_ERASED).exists()
    assert AuditEntry.objects.filter(event=Event.ERASURE_HELD).count() == 1
    assert User.objects.get(person_id=request.person_id).full_name == "Rosa Delgado"
    letter = next(m for m in smtp_sink.messages if m["Subject"].startswith("About your deletion"))
    assert "- fees still owed" in letter.get_content()
    assert "- your account" in letter.get_content()


def test_an_unverified_deletion_is_closed_on_its_due_date_as_an_opt_out_and_the_person_told(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:

    rosa = opted_in(person("rosa@example.com"), "offers")
    opened = open_request(
        kind="delete", email="rosa@example.com", state="CA", today=TODAY, channel=Channel.WEB
    )
    assert close_unverified(today=TODAY + timedelta(days=45)) == 0  # due that day: not yet
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert close_unverified(today=TODAY + timedelta(days=46)) == 1

    request = DataRequest.objects.get(pk=opened.request.pk)
    assert (request.status, request.closed_on) == (Status.DENIED, TODAY + timedelta(days=46))
    assert choices_for(rosa)[("offers", "email")] is False
    assert Person.objects.get(pk=rosa.pk).email == "rosa@example.com"  # nothing erased
    letter = next(m for m in smtp_sink.messages if "Our answer" in m["Subject"])
    assert "we have treated the request as an opt-out" in letter.get_content()
