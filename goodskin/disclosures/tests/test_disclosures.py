"""The disclosure promise: the register says who may receive what, the public notice lists it,
every real disclosure is logged and audited, and a person's report shows what was disclosed
about them (unless a court has forbidden it for now)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import approved_by_a_second_person, make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.models import Notice
from goodskin.disclosures.actions import (
    TRANSFER,
    DisclosureRefused,
    record_business_transfer,
    record_disclosure,
)
from goodskin.disclosures.models import Disclosure, Recipient
from goodskin.disclosures.queries import disclosures_about
from goodskin.vault.queries import everything_about

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)


@pytest.fixture
def officer() -> User:
    return User.objects.create_user(
        "privacy.officer@goodskinclinics.com",
        "Officer-Console-Pass-9",
        full_name="Pat Officer",
        is_staff=True,
    )


def test_the_state_notice_lists_recipient_categories_from_the_register(client: Client) -> None:
    page = client.get("/privacy/state-notice/").content.decode()
    assert "Service providers that work for us under contract" in page
    assert "Delivery of the emails we send you" in page
    assert "Courts, law enforcement and regulators, when the law requires it" in page
    assert "we do not sell or share it" in page
    Recipient.objects.filter(slug="email-delivery").update(active=False)
    assert (
        "Delivery of the emails we send you"
        not in client.get("/privacy/state-notice/").content.decode()
    )


def test_a_subpoena_is_logged_audited_and_appears_in_the_persons_report(officer: User) -> None:
    rosa = make_account(email="rosa@example.com").person
    subpoena = record_disclosure(
        kind="legal_process",
        recipient=Recipient.objects.get(slug="authorities"),
        reference="LASC 26STCV01234 subpoena duces tecum",
        categories=["user.contact.email", "user.name"],
        people=[rosa],
        approved_by=officer,
    )

    assert list(disclosures_about(rosa, for_the_person=True, today=TODAY)) == [subpoena]
    exported = {table.model: table.rows for table in everything_about(rosa)}
    assert (
        exported["disclosures.DisclosedPerson"]
        == [
            {
                "id": exported["disclosures.DisclosedPerson"][0]["id"],
                "disclosure": subpoena.pk,
                "person": rosa.pk,
            }
        ]
        or exported["disclosures.DisclosedPerson"][0]["disclosure"] == subpoena.pk
    )
    entry = AuditEntry.objects.get(event=Event.DISCLOSURE_RECORDED, subject_id=str(rosa.pk))
    assert entry.data == {
        "kind": "legal_process",
        "recipient": "authorities",
        "categories": ["user.contact.email", "user.name"],
    }


def test_a_gagged_disclosure_stays_out_of_the_persons_report_until_its_date(officer: User) -> None:
    rosa = make_account(email="rosa@example.com").person
    warrant = record_disclosure(
        kind="legal_process",
        recipient=Recipient.objects.get(slug="authorities"),
        reference="Warrant 2026-4471",
        categories=["user.contact.email"],
        people=[rosa],
        approved_by=officer,
        person_may_be_told=False,
        silent_until=TODAY + timedelta(days=90),
    )
    assert list(disclosures_about(rosa, for_the_person=True, today=TODAY)) == []
    assert list(disclosures_about(rosa, for_the_person=False, today=TODAY)) == [warrant]
    later = TODAY + timedelta(days=90)
    assert list(disclosures_about(rosa, for_the_person=True, today=later)) == [warrant]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reference": " "}, "Give the reference"),
        ({"categories": []}, "Name the kinds of information"),
        ({"kind": "business_transfer"}, "Choose what kind of disclosure"),
        (
            {"recipient": "hosting"},
            "Legal process and agency requests go to a government recipient.",
        ),
    ],
)
def test_an_incomplete_disclosure_is_refused_and_nothing_is_logged(
    officer: User, changes: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "kind": "legal_process",
        "recipient": "authorities",
        "reference": "Order 1",
        "categories": ["user.name"],
    }
    values.update(changes)
    with pytest.raises(DisclosureRefused, match=message):
        record_disclosure(
            kind=str(values["kind"]),
            recipient=Recipient.objects.get(slug=str(values["recipient"])),
            reference=str(values["reference"]),
            categories=values["categories"],  # type: ignore[arg-type]  # a list
            people=[],
            approved_by=officer,
        )
    assert Disclosure.objects.count() == 0
    assert not AuditEntry.objects.filter(event=Event.DISCLOSURE_RECORDED).exists()


def test_a_business_transfer_covers_everyone_and_tells_every_account_holder(
    officer: User, django_capture_on_commit_callbacks: object
) -> None:
    rosa = make_account(email="rosa@example.com")
    lena = make_account(email="lena@example.com", language="es")
    buyer = Recipient.objects.create(
        slug="buyer",
        name="Westside Aesthetics LLC",
        kind="third_party",
        description_en="The buyer of the business",
        description_es="El comprador del negocio",
        categories=["user"],
        purpose="continue the clinic's services",
    )
    approval = approved_by_a_second_person(TRANSFER, buyer, reason="Sale signed 1 December")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        transfer = record_business_transfer(
            recipient=buyer, reference="APA 2026-12", approval=approval
        )

    assert transfer.covers_everyone
    assert list(disclosures_about(rosa.person, for_the_person=True, today=TODAY)) == [transfer]
    assert transfer.approved_by_id == approval.decided_by  # the second person, not the asker
    staff = User.objects.filter(pk__in=[approval.asked_by, approval.decided_by])
    titles = dict(
        Notice.objects.exclude(person__account__in=staff).values_list("person_id", "title")
    )
    assert titles == {
        officer.person_id: "Your information has a new owner",
        rosa.person_id: "Your information has a new owner",
        lena.person_id: "Su información tiene un nuevo propietario",
    }
