"""The privacy officer's page: the schedule and its floors, a dry run, placing and releasing
holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from goodskin.accounts.tests.conftest import make_staff
from goodskin.accounts.tests.signing_in import StaffClient
from goodskin.retention.models import LegalHold, RetentionRule
from goodskin.vault.actions import person_for_email

pytestmark = pytest.mark.django_db


def test_the_schedule_shows_each_rule_in_public_words_with_its_legal_floor(officer: Client) -> None:
    page = officer.get("/console/retention/").content.decode()
    assert "3 years after we receive it, then deleted" in page
    assert "730 days — Cal. Code Regs. tit. 11, § 7101(a)" in page
    assert "no end date — 15 U.S.C. § 7704(a)(4); 16 C.F.R. § 316.5" in page


def test_a_rule_below_its_floor_is_refused_with_the_reason_and_left_alone(officer: Client) -> None:
    response = officer.post(
        "/console/retention/rules/consent/",
        {
            "consent-period_days": "30",
            "consent-counted_from": "collection",
            "consent-outcome": "delete",
        },
    )
    assert response.status_code == 400
    assert "The law requires at least 730 days for “consent”" in response.content.decode()
    assert RetentionRule.objects.get(key="consent").period_days == 1095


def test_a_dry_run_lists_what_would_go_without_removing_it(officer: Client) -> None:
    page = officer.get("/console/retention/dry-run/")
    assert page.status_code == 200
    assert "Dry run" in page.content.decode()
    assert [report.rule for report in page.context["reports"]][-1] == "person"


def test_a_hold_is_placed_for_known_people_only_and_released(officer: Client) -> None:
    person_for_email(email="rosa@example.com")
    review = (timezone.localdate() + timedelta(days=30)).isoformat()
    form = {"reason": "dispute", "case_reference": "GS-2026-014", "review_on": review}

    unknown = officer.post("/console/retention/holds/", {**form, "emails": "nobody@example.com"})
    assert unknown.status_code == 400
    assert unknown.context["hold_form"].errors["emails"] == [
        "We hold nothing about nobody@example.com; nothing to keep."
    ]
    empty = officer.post("/console/retention/holds/", form)
    assert empty.status_code == 400
    assert LegalHold.objects.count() == 0

    placed = officer.post("/console/retention/holds/", {**form, "emails": "Rosa@Example.com"})
    assert placed.status_code == 302
    hold = LegalHold.objects.get()
    assert list(hold.people.values_list("person__email", flat=True)) == ["rosa@example.com"]

    officer.post(f"/console/retention/holds/{hold.pk}/release/", {"reason": "Case closed"})
    hold.refresh_from_db()
    assert hold.released_at is None  # asked: a second person must approve
    second = StaffClient()
    second.force_login(make_staff(email="second.officer@goodskinclinics.com"))
    second.post(f"/console/retention/holds/{hold.pk}/release/", {"step": "approve"})
    hold.refresh_from_db()
    assert hold.released_at is not None
