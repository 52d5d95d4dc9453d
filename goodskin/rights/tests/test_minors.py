"""The policy's promise about children: a form that says the writer is under 18 opens a case;
erasing it removes everything and keeps only fingerprints so nothing is sent to them again."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.models import Suppression
from goodskin.rights.actions import TransitionRefused, dismiss_minors_case, open_minors_case
from goodskin.rights.models import MinorsCase
from goodskin.submissions.actions import submit_contact_message
from goodskin.submissions.models import ContactMessage
from goodskin.vault.models import Person

pytestmark = pytest.mark.django_db


def child_writes() -> Person:
    submit_contact_message(
        full_name="Maya",
        email="maya@example.com",
        language="en",
        today=date(2026, 11, 29),
        phone="",
        topic="question",
        message="Hi, I am 15 and want to know about acne facials.",
        client_address="192.0.2.7",
    )
    return Person.objects.get(email="maya@example.com")


def test_a_form_flagged_as_a_minor_waits_for_staff_who_open_and_erase_the_case(
    officer: Client,
) -> None:
    maya = child_writes()
    page = officer.get("/console/minors/")
    assert [person_id for person_id, _ in page.context["signals"]] == [maya.pk]

    officer.post("/console/minors/", {"action": "open", "person": str(maya.pk)})
    case = MinorsCase.objects.get()
    assert officer.get("/console/minors/").context["signals"] == []

    officer.post("/console/minors/", {"action": "erase", "case": str(case.pk)})

    maya.refresh_from_db()
    assert (maya.email, maya.erased_at is not None) == (None, True)
    assert ContactMessage.objects.count() == 0
    assert sorted(Suppression.objects.values_list("channel", "reason")) == [("email", "minor")]
    case.refresh_from_db()
    assert case.status == "erased"
    assert AuditEntry.objects.filter(event=Event.MINORS_CASE_CLOSED).get().data == {
        "outcome": "erased"
    }


def test_a_case_dismissed_needs_a_reason_and_erases_nothing() -> None:
    maya = child_writes()
    case = open_minors_case(person=maya, source="staff")
    assert open_minors_case(person=maya, source="staff") == case  # one open case per person
    with pytest.raises(TransitionRefused, match="Say why"):
        dismiss_minors_case(case=case, note="  ")
    dismiss_minors_case(case=case, note="Adult: ID seen at the Brentwood clinic.")
    assert Person.objects.get(pk=maya.pk).email == "maya@example.com"
    assert Suppression.objects.count() == 0


def test_an_erased_childs_address_cannot_register_again(officer: Client) -> None:
    from goodskin.rights.actions import erase_minor

    maya = child_writes()
    erase_minor(case=open_minors_case(person=maya, source="classifier"))

    response = Client().post(
        "/accounts/register/",
        {
            "full_name": "Maya Example",
            "email": "Maya@Example.com",
            "date_of_birth": "1990-04-25",  # whatever the form now says
            "password": "Lavender-Harbour-42",
            "password_again": "Lavender-Harbour-42",
        },
    )

    assert response.status_code == 403
    assert Person.objects.filter(email="maya@example.com").count() == 0
    assert (
        AuditEntry.objects.filter(
            event=Event.REGISTRATION_REFUSED_UNDER_AGE, data__reason="known_minor"
        ).count()
        == 1
    )
