"""A breach notice says only what is true: what staff recorded and what the assessment found, in
dates a person reads; people we cannot reach are told on the home and privacy pages for as long
as their state's law requires; and nobody we first heard of after the window is counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from goodskin.accounts.tests.conftest import make_staff
from goodskin.communications.actions.choices import update_preferences
from goodskin.communications.models import Source
from goodskin.core.smtp_sink import SmtpSink
from goodskin.incidents.actions import (
    IncidentRefused,
    assess,
    describe_incident,
    notify_batch,
)
from goodskin.incidents.models import AffectedPerson, Incident
from goodskin.incidents.tests.test_incidents import NOW, at, consultation_leak, patient
from goodskin.vault.actions import erase_person, person_for_email
from goodskin.vault.models import ErasureReason

pytestmark = pytest.mark.django_db


def posted_for(incident: Incident) -> timedelta:
    incident.refresh_from_db()
    assert incident.posted_at is not None
    assert incident.posted_until is not None
    return incident.posted_until - incident.posted_at


def an_erased_patient(email: str = "gone@example.com") -> None:
    gone = patient(email)
    with time_machine.travel(timezone.now() - timedelta(days=20), tick=False):
        erase_person(person=gone, reason=ErasureReason.DELETION_REQUEST)


@time_machine.travel(NOW, tick=False)
def test_someone_we_cannot_reach_is_told_on_the_home_and_privacy_pages_for_thirty_days(
    client: Client,
) -> None:
    an_erased_patient()
    incident = consultation_leak()
    assert client.get("/").content.decode().count("breach-posted") == 0
    assess(incident=incident)

    notify_batch(incident_id=incident.pk)

    assert AffectedPerson.objects.get().unreachable is True
    assert posted_for(incident) == timedelta(days=30)  # CA, § 1798.82(j)(3)(B)
    for page in ("/", "/privacy/"):
        html = client.get(page).content.decode()
        assert html.count('class="notice notice-warning breach-posted"') == 1, page
        assert f'href="/privacy/breach-notice/{incident.pk}/"' in html
    notice = client.get(f"/privacy/breach-notice/{incident.pk}/").content.decode()
    assert "A staff export of consultation requests was left on a shared drive." in notice
    assert "We removed the file, locked the drive and are reviewing who saw it." in notice
    assert "<li>Your name</li>" in notice
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        assert "breach-posted" not in client.get("/").content.decode()
        assert client.get(f"/privacy/breach-notice/{incident.pk}/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_health_information_keeps_the_posting_up_for_hipaas_ninety_days() -> None:
    an_erased_patient()
    incident = consultation_leak(keys_exposed=True)  # the sealed messages were readable too
    assess(incident=incident)
    notify_batch(incident_id=incident.pk)
    assert AffectedPerson.objects.get().phi is True
    assert posted_for(incident) == timedelta(days=90)


@time_machine.travel(NOW, tick=False)
def test_a_notice_says_only_what_staff_recorded(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    patient("ca@example.com")
    incident = consultation_leak(actions_taken="")
    assess(incident=incident)
    with pytest.raises(IncidentRefused, match="Record what happened and what we are doing"):
        notify_batch(incident_id=incident.pk)
    assert not AffectedPerson.objects.filter(message__isnull=False).exists()

    describe_incident(
        incident=incident,
        description="A consultation export was left on a shared drive.",
        actions_taken="We removed the file and are asking who opened it.",
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        notify_batch(incident_id=incident.pk)

    [notice] = [m for m in smtp_sink.wait_for(2) if m["Subject"] == "Notice of Data Breach"]
    body = notice.get_content()
    assert "We removed the file and are asking who opened it." in body
    assert "We closed the way in" not in body
    assert "We stopped the exposure" not in body  # no containment was recorded
    assert "- Your email address\r\n- Your phone number\r\n- Your name\r\n" in body
    assert (
        "We also hold messages you send us, health details you choose to tell us, encrypted "
        "with a key of each person's own that was not exposed: that information could not be "
        "read."
    ) in body


@time_machine.travel(NOW, tick=False)
def test_a_recorded_containment_is_said_and_a_one_day_window_reads_as_one_day(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    patient("ca@example.com")
    incident = consultation_leak(window_start=at(11.2), window_end=at(11.1))
    describe_incident(
        incident=incident,
        description=incident.description,
        actions_taken="We are reviewing access.",
        contained_at=at(11),
    )
    assess(incident=incident)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        notify_batch(incident_id=incident.pk)
    [notice] = [m for m in smtp_sink.wait_for(2) if m["Subject"] == "Notice of Data Breach"]
    body = notice.get_content()
    assert "It happened on Jan. 30, 2027, and we discovered it on Jan. 31, 2027." in body
    assert "We stopped the exposure on Jan. 30, 2027." in body
    assert "between" not in body.split("What Information")[0]


@time_machine.travel(NOW, tick=False)
def test_someone_we_first_heard_of_after_the_window_is_not_affected() -> None:
    patient("before@example.com")  # 30 days ago, inside the window

    later = person_for_email(email="later@example.com")  # today, after the window closed
    update_preferences(person=later, choices={("offers", "email"): True}, source=Source.ACCOUNT)
    incident = consultation_leak(
        tables=["submissions.consultationrequest", "communications.subscription"]
    )
    assert assess(incident=incident) == 1
    assert list(AffectedPerson.objects.values_list("person__email", flat=True)) == [
        "before@example.com"
    ]


@time_machine.travel(NOW, tick=False)
def test_the_regulator_letter_and_the_console_speak_plainly(client: Client) -> None:
    for number in range(3):
        patient(f"va{number}@example.com", state="VA")
    an_erased_patient()
    incident = consultation_leak(actions_taken="")
    client.force_login(make_staff())
    assess(incident=incident)

    waiting = client.get(f"/console/incidents/{incident.pk}/").content.decode()
    assert "No notice has gone yet." in waiting
    assert "Record what happened and what we are doing first" in waiting
    assert "0 queued" not in waiting

    describe_incident(
        incident=incident, description=incident.description, actions_taken="We locked it."
    )
    notify_batch(incident_id=incident.pk)
    page = client.get(f"/console/incidents/{incident.pk}/").content.decode()
    assert "1 person has no address we can write to" in page
    letter = page.split("Regulator notices to file")[1].split("Timeline")[0]
    assert "Lisa Goodman, Physician Assistant, PLLC" in letter
    assert "_sealed" not in letter
    assert "full_name" not in letter
    assert "Information involved: your email address; your phone number; your name." in letter
    assert Incident.objects.get().posted_at is not None


def test_a_posted_notice_shows_on_the_next_page_however_the_row_changed_and_goes_when_due(
    client: Client,
) -> None:
    from goodskin.website.models import ContentVersion  # noqa: PLC0415

    def posted_on_home() -> int:
        return client.get("/").content.decode().count("breach-posted")

    incident = consultation_leak()
    assert posted_on_home() == 0  # the posting windows are now kept under the notices version
    start = timezone.now() - timedelta(minutes=1)
    # A plain UPDATE, as a console, a shell or a restore might make it: the trigger moves the
    # notices version, so the kept windows are read again.
    Incident.objects.filter(pk=incident.pk).update(
        posted_at=start, posted_until=start + timedelta(days=30)
    )
    assert posted_on_home() == 1
    with time_machine.travel(start + timedelta(days=30, seconds=1)):
        assert posted_on_home() == 0  # the window closed: nothing had to change for it to go

    ContentVersion.objects.filter(id=2).delete()  # without the row, the table is asked each time
    assert posted_on_home() == 1
    Incident.objects.filter(pk=incident.pk).update(posted_at=None, posted_until=None)
    assert posted_on_home() == 0
