"""De-identified exports: generalised fields, every released combination shared by at least k
people, no direct identifiers, logged with its k, and refused (naming the field) when k cannot be
met without leaving too many people out."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from goodskin.accounts.models import User
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.disclosures.actions import export_deidentified
from goodskin.disclosures.deid import ExportRefused, age_band, release, zip3
from goodskin.disclosures.models import Disclosure, Recipient
from goodskin.submissions.models import ConsultationRequest
from goodskin.vault.actions import person_for_email
from goodskin.website.models import Service


def test_generalisers_make_bands_three_digit_zips_and_unknowns() -> None:
    assert [age_band(age) for age in (18, 24, 25, 29, 30, 47, 74, 75, 90)] == [
        "18-24",
        "18-24",
        "25-29",
        "25-29",
        "30-34",
        "45-49",
        "70-74",
        "75+",
        "75+",
    ]
    assert (zip3("90049-1234"), zip3("9"), zip3("")) == ("900xx", "unknown", "unknown")


@given(
    st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz")), min_size=1, max_size=300),
    st.integers(min_value=2, max_value=15),
)
def test_every_released_combination_is_shared_by_at_least_k(
    rows: list[tuple[str, str]], k: int
) -> None:
    try:
        released = release(rows, fields=["letter", "end"], k=k, max_suppressed=1.0)
    except ExportRefused:
        return
    assert all(count >= k for _, count in released.groups)
    assert sum(count for _, count in released.groups) + released.suppressed == len(rows)


def test_a_field_that_makes_groups_too_small_is_named_in_the_refusal() -> None:
    rows = [("2026-11", f"street-{n}") for n in range(40)]  # every street is unique
    with pytest.raises(ExportRefused) as refused:
        release(rows, fields=["month", "street"], k=10)
    assert refused.value.field == "street"
    assert str(refused.value) == (
        "Only 0 of 40 people fall in groups of at least 10; 100% would have to be left out. "
        "The field “street” splits people into groups too small: leave it out or choose a "
        "coarser one."
    )


def test_k_below_two_is_refused() -> None:
    with pytest.raises(ExportRefused, match="k must be at least 2"):
        release([("a",)], fields=["x"], k=1)


@pytest.fixture
def officer(db: None) -> User:
    return User.objects.create_user(
        "privacy.officer@goodskinclinics.com",
        "Officer-Console-Pass-9",
        full_name="Pat Officer",
        is_staff=True,
    )


def consultations(treatments: dict[str, int]) -> None:
    for slug, people in treatments.items():
        service, _ = Service.objects.get_or_create(
            slug=slug,
            defaults={
                "category": "facials",
                "name_en": slug,
                "summary_en": "-",
                "duration_minutes": 30,
            },
        )
        for number in range(people):
            ConsultationRequest.objects.create(
                person=person_for_email(email=f"{slug}{number}@example.com"),
                full_name="Someone",
                email=f"{slug}{number}@example.com",
                language="en",
                treatment=service,
                preferred_time="any",
            )


@pytest.mark.django_db
def test_an_export_releases_counts_per_generalised_group_and_is_logged_with_its_k(
    officer: User,
) -> None:
    consultations({"hydrafacial": 12, "peel": 11, "laser": 1})

    released, logged = export_deidentified(
        dataset="consultation-requests",
        fields=["treatment", "language"],
        recipient=Recipient.objects.get(slug="consultants"),
        approved_by=officer,
        k=10,
    )

    assert released.groups == [(("hydrafacial", "en"), 12), (("peel", "en"), 11)]
    assert (released.people, released.suppressed) == (24, 1)
    assert (logged.kind, logged.k, logged.rows) == ("deidentified_export", 10, 2)
    assert AuditEntry.objects.get(event=Event.DISCLOSURE_RECORDED).data == {
        "kind": "deidentified_export",
        "recipient": "consultants",
        "k": 10,
        "groups": 2,
        "suppressed": 1,
    }


@pytest.mark.django_db
def test_an_export_that_cannot_meet_k_is_refused_naming_the_field_and_logs_nothing(
    officer: User,
) -> None:
    consultations({f"t{n}": 2 for n in range(10)})
    with pytest.raises(ExportRefused) as refused:
        export_deidentified(
            dataset="consultation-requests",
            fields=["month", "treatment"],
            recipient=Recipient.objects.get(slug="consultants"),
            approved_by=officer,
        )
    assert refused.value.field == "treatment"
    assert Disclosure.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (["email", "month"], "“email” is a direct identifier and is never exported."),
        (["full_name"], "“full_name” is a direct identifier and is never exported."),
        (["shoe_size"], "“shoe_size” is not a field of Consultation requests."),
        ([], "Choose at least one field."),
    ],
)
def test_direct_identifiers_and_unknown_fields_are_refused(
    officer: User, fields: list[str], message: str
) -> None:
    with pytest.raises(ExportRefused, match=message):
        export_deidentified(
            dataset="consultation-requests",
            fields=fields,
            recipient=Recipient.objects.get(slug="consultants"),
            approved_by=officer,
        )
    assert Disclosure.objects.count() == 0


@pytest.mark.django_db
def test_the_accounts_dataset_opens_each_birth_date_only_to_band_it(officer: User) -> None:
    for number in range(10):
        User.objects.create_user(
            f"p{number}@example.com",
            "Pass-Word-123456",
            full_name="P",
            date_of_birth=date(1990, 1, 1),
        )
    with time_machine.travel(date(2026, 11, 29), tick=False):  # they are 36
        released, _ = export_deidentified(
            dataset="accounts",
            fields=["age_band"],
            recipient=Recipient.objects.get(slug="auditors"),
            approved_by=officer,
        )
    assert released.groups == [(("35-39",), 10)]
    assert Counter(released.fields) == Counter(["age_band"])
