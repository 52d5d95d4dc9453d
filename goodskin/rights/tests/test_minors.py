"""The policy's promise about children: a form that says the writer is under 18 opens a case;
erasing it removes everything and keeps only fingerprints so nothing is sent to them again."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.actions.choices import update_preferences
from goodskin.communications.delivery import deliver_all_due
from goodskin.communications.models import Campaign, MarketingPause, Message, Source, Suppression
from goodskin.communications.queries import campaign_audience
from goodskin.core.smtp_sink import SmtpSink
from goodskin.rights.actions.common import TransitionRefused
from goodskin.rights.actions.intake import open_request
from goodskin.rights.actions.minors import (
    dismiss_minors_case,
    erase_minor,
    open_minors_case,
    record_parental_consent,
    withdraw_parental_consent,
)
from goodskin.rights.actions.reminders import remind_staff
from goodskin.rights.models import Channel, MinorsCase
from goodskin.rights.queries import minors_waiting
from goodskin.submissions.actions import submit_contact_message
from goodskin.submissions.models import ContactMessage
from goodskin.vault.actions import mark_email_verified
from goodskin.vault.models import Person

pytestmark = pytest.mark.django_db


def child_writes(message: str = "Hi, I am 15 and want to know about acne facials.") -> Person:
    submit_contact_message(
        full_name="Maya",
        email="maya@example.com",
        language="en",
        today=date(2026, 11, 29),
        phone="",
        topic="question",
        message=message,
        client_address="192.0.2.7",
    )
    return Person.objects.get(email="maya@example.com")


def test_a_form_flagged_as_a_minor_waits_for_staff_who_open_and_erase_the_case(
    officer: Client,
) -> None:
    maya = child_writes()
    page = officer.get("/console/minors/")
    assert [(item.person_id, item.case) for item in page.context["waiting"]] == [(maya.pk, None)]

    officer.post("/console/minors/", {"action": "open", "person": str(maya.pk)})
    case = MinorsCase.objects.get()
    assert [item.case for item in officer.get("/console/minors/").context["waiting"]] == [case]

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


def offers_opted_in(person: Person) -> None:
    mark_email_verified(person=person)
    update_preferences(person=person, choices={("offers", "email"): True}, source=Source.ACCOUNT)


def test_a_possible_minor_gets_no_marketing_while_waiting_but_still_gets_essential_mail(
    smtp_sink: object,
) -> None:

    assert isinstance(smtp_sink, SmtpSink)
    maya = child_writes("What do facials cost?")  # nothing yet says she is under 18
    offers_opted_in(maya)
    campaign = Campaign.objects.create(
        name="Winter", topic="offers", channel="email", subject_en="Winter offers", body_en="-"
    )
    assert list(campaign_audience(campaign)) == [maya]

    child_writes()  # the same address, now saying "I am 15"

    assert list(campaign_audience(campaign)) == []
    marketing = Message.objects.create(
        person=maya,
        kind="marketing",
        channel="email",
        topic="offers",
        template="communications/email/campaign",
        language="en",
        campaign=campaign,
        next_attempt_at=maya.created_at,
    )
    deliver_all_due()
    marketing.refresh_from_db()
    assert (marketing.status, marketing.last_error) == (
        "suppressed",
        "Marketing is paused while we check whether the person is under 18",
    )
    received = [m for m in smtp_sink.messages if m["To"] == "maya@example.com"]
    assert len(received) == 2  # both form receipts: essential mail still arrives
    assert all("Winter" not in m["Subject"] for m in received)

    dismiss_minors_case(
        case=open_minors_case(person=maya, source="classifier"), note="Adult: ID seen."
    )
    assert list(campaign_audience(campaign)) == [maya]  # the pause ends with the decision


def test_a_waiting_minor_is_due_in_three_business_days_and_in_the_daily_reminder() -> None:
    with time_machine.travel("2026-11-25 10:00:00-08:00", tick=False):  # a Wednesday
        maya = child_writes()
    [waiting] = minors_waiting()
    # Thanksgiving (Thursday) is a federal holiday: Friday, Monday, Tuesday.
    assert (waiting.person_id, waiting.due_on) == (maya.pk, date(2026, 12, 1))
    assert remind_staff(today=date(2026, 12, 2)) == 1

    reminder = Message.objects.get(template="rights/email/staff_reminder")  # not yet sent
    assert f"- decide by 2026-12-01 OVERDUE  a form message, not yet a case (person {maya.pk})" in (
        reminder.body or ""
    )


def test_a_parents_verified_consent_keeps_the_information_until_they_withdraw_it() -> None:
    maya = child_writes()
    case = open_minors_case(person=maya, source="classifier")
    with pytest.raises(TransitionRefused, match="Choose how the parent's identity was verified"):
        record_parental_consent(case=case, method="", note="Her mother, Ana.")
    with pytest.raises(TransitionRefused, match="Say who consented"):
        record_parental_consent(case=case, method="in_person", note=" ")

    kept = record_parental_consent(
        case=case, method="in_person", note="Her mother, Ana; ID and birth certificate seen."
    )

    assert (kept.status, kept.consent_method) == ("consented", "in_person")
    assert Person.objects.get(pk=maya.pk).email == "maya@example.com"  # kept

    assert MarketingPause.objects.filter(person=maya, lifted_at__isnull=True).exists()
    assert AuditEntry.objects.get(event=Event.MINORS_CONSENT_RECORDED).data == {
        "method": "in_person"
    }

    assert withdraw_parental_consent(case=kept) is True

    assert Person.objects.get(pk=maya.pk).erased_at is not None
    case.refresh_from_db()
    assert (case.status, case.consent_withdrawn_at is not None) == ("erased", True)


def test_a_parent_who_asked_for_deletion_cannot_be_recorded_as_consenting() -> None:
    maya = child_writes()
    opened = open_request(
        kind="child",
        email="ana@example.com",
        state="CA",
        today=date(2026, 11, 29),
        channel=Channel.MAIL,
        child_email="maya@example.com",
    )
    case = open_minors_case(person=maya, source="parent")
    MinorsCase.objects.filter(pk=case.pk).update(request=opened.request)
    case.refresh_from_db()
    with pytest.raises(TransitionRefused, match="asked us to delete"):
        record_parental_consent(case=case, method="in_person", note="Ana")
    assert MinorsCase.objects.get(pk=case.pk).status == "open"
