"""The access report is complete and readable: every column under its name in the person's
language, when each thing was collected, what our messages were about, the choices made on each of
their browsers, and for each kind of information its sources, purposes, recipients and retention.
And the emailed link alone does not open it."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from goodskin.accounts.tests.conftest import make_account
from goodskin.accounts.tests.signing_in import StaffClient
from goodskin.communications.delivery import deliver_all_due
from goodskin.communications.tests.conftest import clinic as a_clinic
from goodskin.consent.actions import record_choice
from goodskin.consent.choices import Choices
from goodskin.consent.models import ConsentRecord, Source
from goodskin.consent.state import PrivacyState
from goodskin.core.smtp_sink import SmtpSink
from goodskin.retention.queries import rule_wordings
from goodskin.rights.actions.fulfilment import fulfil_request
from goodskin.rights.actions.intake import open_request
from goodskin.rights.models import Channel, DataRequest, Status
from goodskin.rights.tests.test_intake import code_in
from goodskin.rights.tests.test_lifecycle import TODAY
from goodskin.submissions.actions import submit_consultation
from goodskin.vault.labels import BOOKKEEPING
from goodskin.vault.models import Person
from goodskin.vault.registry import person_linked
from goodskin.vault.taxonomy import DATA_USES
from goodskin.vault.tests.test_backup_after_erasure import someone_with_data_everywhere
from goodskin.website.models import Clinic, Service

pytestmark = pytest.mark.django_db


def fulfilled_access(person: Person, *, language: str = "en") -> DataRequest:
    opened = open_request(
        kind="access",
        email=str(person.email),
        state="CA",
        today=TODAY,
        channel=Channel.ACCOUNT,
        signed_in_person=person,
        language=language,
    )
    assert opened.request.status == Status.VERIFIED
    return fulfil_request(request=opened.request, today=TODAY)


def opened(request: DataRequest) -> tuple[dict[str, Any], str]:
    archive = zipfile.ZipFile(io.BytesIO(DataRequest.objects.get(pk=request.pk).report or b""))
    return json.loads(archive.read("report.json")), archive.read("report.html").decode()


def a_consultation(email: str, language: str = "en") -> None:
    clinic = a_clinic("brentwood")
    peel = Service.objects.create(
        slug="chemical-peel",
        category="facials",
        name_en="Chemical peel",
        name_es="Peeling químico",
        summary_en="-",
        duration_minutes=45,
    )
    submit_consultation(
        full_name="Rosa Delgado",
        email=email,
        phone="+13105550142",
        treatment=peel,
        clinic=clinic,
        preferred_time="weekday_evening",
        message="Uneven skin tone.",
        language=language,
        client_address="192.0.2.9",
        today=timezone.localdate(),
    )


def test_a_consultation_is_reported_with_its_treatment_clinic_time_and_when_in_spanish() -> None:
    rosa = make_account(language="es")
    a_consultation("rosa@example.com", language="es")
    deliver_all_due()  # the receipt is sent, so the outbox row has a subject and a sent time

    data, page = opened(fulfilled_access(rosa.person, language="es"))

    consultation = {t["table"]: t for t in data["tables"]}["submissions.ConsultationRequest"]
    [row] = consultation["rows"]
    assert (row["treatment"], row["clinic"], row["preferred_time"]) == (
        Service.objects.get().pk,
        Clinic.objects.get().pk,
        "weekday_evening",
    )
    assert consultation["columns"]["created_at"] == "Enviado"
    assert page.startswith('<!doctype html>\n<html lang="es">')
    assert "<dt>Tratamiento</dt><dd>Peeling químico</dd>" in page
    assert "<dt>Clínica</dt><dd>Brentwood</dd>" in page
    assert "<dt>Horario preferido</dt><dd>Noches entre semana</dd>" in page
    sent = re.search(r"<dt>Enviado</dt><dd>([^<]+)</dd>", page)
    assert sent is not None
    assert re.fullmatch(r"\d{1,2} de \w+ de 2026 a las \d{1,2}:\d{2}", sent.group(1))
    messages = {t["table"]: t for t in data["tables"]}["communications.Message"]
    sent_subjects = [row["subject"] for row in messages["rows"] if row["sent_at"]]
    assert sent_subjects
    assert all(subject for subject in sent_subjects)  # what we wrote about, kept after sending
    assert "<dt>Asunto</dt><dd>Recibimos su solicitud" in page


def test_no_column_reaches_the_page_under_its_database_name() -> None:
    user = someone_with_data_everywhere("rosa@example.com")
    data, page = opened(fulfilled_access(user.person))

    columns = {field.name for model, _ in person_linked() for field in model._meta.concrete_fields}
    for name in columns - {"id", "person", "email", "phone", "state", "status"}:
        assert f"<dt>{name}</dt>" not in page, name
    for name in BOOKKEEPING:
        assert all(name not in table["columns"] for table in data["tables"]), name
    tables = {table["table"] for table in data["tables"]}
    assert {"policies.PolicyNotice", "disclosures.DisclosedPerson", "rights.Correction"} <= tables
    assert data["disclosures"][0]["information"] == ["your name"]


def test_each_kind_of_information_says_its_sources_purposes_recipients_and_retention() -> None:
    rosa = make_account()
    a_consultation("rosa@example.com")
    data, page = opened(fulfilled_access(rosa.person))

    email = {item["category"]: item for item in data["categories"]}["user.contact.email"]
    assert {
        "our own records of what we sent you and did for you",
        "you, through our forms, your account and your requests",
    } <= set(email["sources"])
    assert "your browser, as you use this site" not in email["sources"]
    assert "Delivery of the emails we send you" in email["recipients"]
    assert str(DATA_USES["essential.service.notifications"]) in email["purposes"]
    kept = {place["where"]: place["how_long"] for place in email["kept"]}
    assert kept["In your account"] == rule_wordings()("account")
    assert kept["In the forms you send us"] == rule_wordings()("submission")
    assert "Hosting and maintenance of our systems" in email["recipients"]  # hosts everything
    assert "How long we keep it" in page
    assert "Where it came from" in page


def test_the_choices_made_on_a_browser_before_signing_in_there_are_in_the_copy() -> None:
    rosa = make_account()
    anonymous = PrivacyState(
        gpc=False, dnt=False, browser_id="b" * 32, choices=None, gpc_recorded=False
    )
    record_choice(
        state=anonymous,
        choices=Choices.reject_all(),
        source=Source.BANNER,
        language="en",
        person=None,
    )
    record_choice(
        state=anonymous,
        choices=Choices.accept_all(),
        source=Source.BANNER,
        language="en",
        person=rosa.person,
    )
    someone_else = PrivacyState(
        gpc=False, dnt=False, browser_id="c" * 32, choices=None, gpc_recorded=False
    )
    record_choice(
        state=someone_else,
        choices=Choices.reject_all(),
        source=Source.BANNER,
        language="en",
        person=None,
    )

    data, _ = opened(fulfilled_access(rosa.person))

    consent = {t["table"]: t for t in data["tables"]}["consent.ConsentRecord"]
    assert [row["marketing"] for row in consent["rows"]] == [False, True]
    assert {row["browser_id"] for row in consent["rows"]} == {"b" * 32}
    assert ConsentRecord.objects.count() == 3


def report_link(smtp_sink: SmtpSink) -> str:
    ready = next(m for m in smtp_sink.messages if "is ready" in m["Subject"])
    found = re.search(r"http://testserver(\S+)", ready.get_content())
    assert found is not None
    return found.group(1)


def test_the_link_alone_does_not_open_the_copy_a_fresh_emailed_code_does(
    client: Client, smtp_sink: SmtpSink
) -> None:
    rosa = make_account()
    fulfilled_access(rosa.person)
    deliver_all_due()
    link = report_link(smtp_sink)
    smtp_sink.clear()

    asked = client.get(link)
    assert asked.status_code == 200
    assert asked["Content-Type"].startswith("text/html")
    assert "the link alone does not open it" in asked.content.decode()
    assert client.post(link, {"step": "send"}).status_code == 200
    deliver_all_due()
    [mail] = smtp_sink.messages
    assert mail["To"] == "rosa@example.com"
    code = code_in(mail)
    wrong = "000000" if code != "000000" else "111111"

    refused = client.post(link, {"step": "code", "code": wrong})
    assert refused.status_code == 400
    assert "That code does not match" in refused.content.decode()
    assert client.get(link)["Content-Type"].startswith("text/html")  # still closed

    assert client.post(link, {"step": "code", "code": code}).status_code == 302
    download = client.get(link)
    assert download["Content-Type"] == "application/zip"
    # The code opened it in this browser only, and once.
    other = StaffClient()
    assert other.get(link)["Content-Type"].startswith("text/html")
    assert other.post(link, {"step": "code", "code": code}).status_code == 400


def test_someone_else_signed_in_cannot_open_the_copy(client: Client, smtp_sink: SmtpSink) -> None:
    rosa = make_account()
    fulfilled_access(rosa.person)
    deliver_all_due()
    link = report_link(smtp_sink)

    client.force_login(make_account(email="lena@example.com"))
    assert client.get(link)["Content-Type"].startswith("text/html")
    client.force_login(rosa)
    assert client.get(link)["Content-Type"] == "application/zip"


def test_three_codes_an_hour_then_a_clear_refusal(client: Client, smtp_sink: SmtpSink) -> None:
    rosa = make_account()
    fulfilled_access(rosa.person)
    deliver_all_due()
    link = report_link(smtp_sink)
    for _ in range(3):
        assert client.post(link, {"step": "send"}).status_code == 200
    refused = client.post(link, {"step": "send"})
    assert refused.status_code == 429
    assert "We have sent three codes this hour" in refused.content.decode()
