"""The disclosures console: the register and log, logging a subpoena, and a CSV export."""

from __future__ import annotations

import pytest
from django.test import Client

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import make_account
from goodskin.disclosures.models import Disclosure, Recipient

pytestmark = pytest.mark.django_db


def test_staff_log_a_subpoena_for_a_known_person_and_see_it_in_the_log(officer: Client) -> None:
    make_account(email="rosa@example.com")
    form = {
        "kind": "legal_process",
        "recipient": str(Recipient.objects.get(slug="authorities").pk),
        "reference": "LASC 26STCV01234",
        "categories": ["user.name", "user.contact.email"],
        "person_may_be_told": "on",
    }
    unknown = officer.post("/console/disclosures/record/", {**form, "emails": "x@example.com"})
    assert unknown.status_code == 400
    assert unknown.context["disclosure_form"].errors["emails"] == [
        "We hold nothing about x@example.com."
    ]

    logged = officer.post("/console/disclosures/record/", {**form, "emails": "rosa@example.com"})
    assert logged.status_code == 302
    page = officer.get("/console/disclosures/").content.decode()
    assert "LASC 26STCV01234" in page
    approver = Disclosure.objects.get().approved_by
    assert approver is not None
    assert approver.email == "privacy.officer@goodskinclinics.com"


def test_a_gag_order_needs_its_date(officer: Client) -> None:
    make_account(email="rosa@example.com")
    response = officer.post(
        "/console/disclosures/record/",
        {
            "kind": "legal_process",
            "recipient": str(Recipient.objects.get(slug="authorities").pk),
            "reference": "Warrant 1",
            "categories": ["user.name"],
            "emails": "rosa@example.com",
        },
    )
    assert response.status_code == 400
    assert response.context["disclosure_form"].errors["silent_until"] == [
        "Give the date the order lets us tell the person."
    ]
    assert Disclosure.objects.count() == 0


def test_an_export_downloads_as_csv_and_a_refusal_shows_on_the_fields(officer: Client) -> None:
    for number in range(12):
        User.objects.create_user(f"p{number}@example.com", "Pass-Word-123456", full_name="P")
    form = {
        "dataset": "accounts",
        "recipient": str(Recipient.objects.get(slug="auditors").pk),
        "k": "10",
    }
    download = officer.post("/console/disclosures/export/", {**form, "columns": "language"})
    assert download["Content-Type"] == "text/csv"
    assert download.content.decode().splitlines() == ["language,people", "en,12"]
    refused = officer.post("/console/disclosures/export/", {**form, "columns": "email"})
    assert refused.status_code == 400
    assert refused.context["export_form"].errors["columns"] == [
        "“email” is a direct identifier and is never exported."
    ]
