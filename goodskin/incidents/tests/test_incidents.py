"""Incidents: whom a breach touched (from the data map and the audit log), each state's clock and
regulator, law-enforcement delays, notices in each person's language, and the closing report."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import make_account
from goodskin.core.smtp_sink import SmtpSink
from goodskin.incidents.actions import (
    IncidentRefused,
    assess,
    close_incident,
    end_delay,
    notify_batch,
    open_incident,
    start_delay,
)
from goodskin.incidents.models import AffectedPerson, Incident, TimelineEntry
from goodskin.incidents.queries import clocks_for
from goodskin.jurisdictions.deadlines import breach_clocks
from goodskin.rights.actions.intake import open_request
from goodskin.rights.models import Channel
from goodskin.submissions.actions import submit_consultation
from goodskin.vault.actions import erase_person
from goodskin.vault.models import ErasureReason, Person

pytestmark = pytest.mark.django_db
NOW = "2027-02-10 12:00:00-08:00"


def at(days_ago: float) -> datetime:
    return timezone.now() - timedelta(days=days_ago)


def patient(email: str, *, state: str | None = None, language: str = "en") -> Person:
    """Someone who asked for a consultation 30 days ago (inside the incidents' windows)."""
    with time_machine.travel(timezone.now() - timedelta(days=30), tick=False):
        _consult(email, language)
    person = Person.objects.get(email=email)
    if state is not None:
        open_request(
            kind="opt_out",
            email=email,
            state=state,
            today=timezone.localdate() - timedelta(days=20),
            channel=Channel.WEB,
        )
    return person


def _consult(email: str, language: str) -> None:
    submit_consultation(
        full_name="A Patient",
        email=email,
        phone="+13105550100",
        treatment=None,
        clinic=None,
        preferred_time="any",
        message="redness on my cheeks",
        language=language,
        client_address="192.0.2.1",
        today=timezone.localdate(),
    )


def consultation_leak(**overrides: object) -> Incident:
    fields: dict[str, object] = {
        "title": "Exposed consultation export",
        "description": "A staff export of consultation requests was left on a shared drive.",
        "actions_taken": "We removed the file, locked the drive and are reviewing who saw it.",
        "discovered_at": at(10),
        "window_start": at(40),
        "window_end": at(11),
        "tables": ["submissions.consultationrequest"],
    }
    fields.update(overrides)
    return open_incident(**fields)  # type: ignore[arg-type]


@time_machine.travel(NOW, tick=False)
def test_a_window_that_ends_before_it_starts_is_refused_and_nothing_is_stored() -> None:
    with pytest.raises(IncidentRefused, match="The window ends before it starts") as refused:
        consultation_leak(window_start=at(5), window_end=at(6))
    assert refused.value.field == "window_end"
    with pytest.raises(IncidentRefused, match="unknown: billing.cards"):
        consultation_leak(tables=["billing.cards"])
    with pytest.raises(IncidentRefused, match="unknown: user.shoe_size"):
        consultation_leak(categories=["user.shoe_size"])
    with pytest.raises(IncidentRefused, match="Discovery cannot be in the future"):
        consultation_leak(discovered_at=at(-1))
    assert Incident.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_a_mixed_state_population_gets_each_states_deadline_regulator_and_notice(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    patient("ca@example.com")  # state unknown: California
    patient("tx@example.com", state="TX")
    patient("co@example.com", state="CO")
    patient("va@example.com", state="VA", language="es")
    incident = consultation_leak()

    assert assess(incident=incident) == 4
    state = clocks_for(incident)
    by_state = {clock.state: clock for clock in state.states}
    discovered = incident.discovered_at
    assert {code: clock.due_at - discovered for code, clock in by_state.items()} == {
        "CA": timedelta(days=30),
        "CO": timedelta(days=30),
        "TX": timedelta(days=60),
        "VA": timedelta(days=30),  # "without unreasonable delay": the platform's 30 days
    }
    assert [code for code, clock in by_state.items() if clock.regulator_needed] == ["VA"]
    assert AffectedPerson.objects.get(person__email="ca@example.com").state_known is False
    assessment = Incident.objects.get().assessment
    assert "Consultation requests: exposed name, email address, phone number." in assessment
    assert (
        "your message, what our safety check found in your message sealed under per-person keys "
        "that were not exposed"
    ) in assessment
    assert "_sealed" not in assessment

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert notify_batch(incident_id=incident.pk) is True
    notices = {
        m["To"]: m
        for m in smtp_sink.wait_for(4)
        if "Breach" in m["Subject"] or "datos" in m["Subject"]
    }
    assert set(notices) == {"ca@example.com", "tx@example.com", "co@example.com", "va@example.com"}
    english = notices["ca@example.com"].get_content()
    for heading in (
        "What Happened",
        "What Information Was Involved",
        "What We Are Doing",
        "What You Can Do",
        "For More Information",
    ):
        assert heading in english
    assert notices["va@example.com"]["Subject"] == "Aviso de violación de datos"
    assert Incident.objects.get().status == "notifying"


@time_machine.travel(NOW, tick=False)
def test_data_sealed_under_keys_that_stayed_safe_is_not_a_breach_until_the_keys_go_too() -> None:
    with time_machine.travel(timezone.now() - timedelta(days=30), tick=False):
        make_account()
    sealed_only = consultation_leak(
        tables=["accounts.user"], categories=["user.demographic.date_of_birth"]
    )
    assert assess(incident=sealed_only) == 0
    assert (
        "No readable personal data was exposed"
        in Incident.objects.get(pk=sealed_only.pk).assessment
    )
    keys_too = consultation_leak(
        tables=["accounts.user"], categories=["user.demographic.date_of_birth"], keys_exposed=True
    )
    assert assess(incident=keys_too) == 1


@time_machine.travel(NOW, tick=False)
def test_a_law_enforcement_delay_pauses_the_clocks_and_holds_the_notices() -> None:
    patient("ca@example.com")
    incident = consultation_leak()
    assess(incident=incident)
    before = clocks_for(incident).states[0].due_at
    delay = start_delay(
        incident=incident,
        agency="LAPD Cyber Crimes",
        reference="24-0117",
        in_writing=True,
        at=at(5),
    )
    assert clocks_for(incident).states[0].due_at == before + timedelta(days=5)
    with pytest.raises(IncidentRefused, match="end the delay first"):
        notify_batch(incident_id=incident.pk)
    assert AffectedPerson.objects.filter(message__isnull=False).count() == 0

    end_delay(delay=delay, at=timezone.now())
    assert notify_batch(incident_id=incident.pk) is True
    assert AffectedPerson.objects.filter(message__isnull=False).count() == 1
    assert "asked us to delay notices (in writing)" in " ".join(
        TimelineEntry.objects.values_list("what", flat=True)
    )


@time_machine.travel(NOW, tick=False)
def test_an_oral_request_holds_the_clocks_for_thirty_days_at_most() -> None:
    patient("ca@example.com")
    incident = consultation_leak(discovered_at=at(50), window_start=at(80), window_end=at(51))
    assess(incident=incident)
    start_delay(incident=incident, agency="FBI field office", in_writing=False, at=at(45))
    state = clocks_for(incident)
    assert state.paused == timedelta(days=30)
    assert notify_batch(incident_id=incident.pk) is True  # the oral hold has lapsed


@time_machine.travel(NOW, tick=False)
def test_someone_erased_after_the_window_opened_still_counts_and_gets_the_substitute_notice() -> (
    None
):

    gone = patient("gone@example.com")
    incident_window_start = at(40)
    with time_machine.travel(timezone.now() - timedelta(days=20), tick=False):
        erase_person(person=gone, reason=ErasureReason.DELETION_REQUEST)
    incident = consultation_leak(window_start=incident_window_start)
    assert assess(incident=incident) == 1
    notify_batch(incident_id=incident.pk)
    row = AffectedPerson.objects.get()
    assert (row.person_id, row.unreachable, row.message_id) == (gone.pk, True, None)


def test_regulator_credit_agency_hhs_and_media_thresholds_are_exact() -> None:
    state = breach_clocks(
        discovered_at=datetime(2027, 1, 1, tzinfo=timezone.get_current_timezone()),
        residents=Counter({"CA": 500, "TX": 250, "CO": 499, "MN": 501}),
        phi_residents=Counter({"CA": 500, "MN": 501}),
        paused=timedelta(),
    )
    by_state = {clock.state: clock for clock in state.states}
    assert by_state["CA"].regulator_needed is False  # "more than 500"
    assert by_state["TX"].regulator_needed is True  # "250 or more"
    assert by_state["CO"].regulator_needed is False  # "500 or more"
    assert by_state["MN"].cra_needed is True
    assert (by_state["MN"].media_needed, by_state["CA"].media_needed) == (True, False)
    assert state.hhs_needed is True  # 1,001 people with PHI in all


@time_machine.travel(NOW, tick=False)
def test_closing_needs_every_notice_sent_and_writes_the_report(officer: Client) -> None:
    officer.force_login(User.objects.get(is_staff=True))  # a session on the travelled-to day
    patient("ca@example.com")
    incident = consultation_leak()
    assess(incident=incident)
    with pytest.raises(IncidentRefused, match="1 people have not been sent their notice yet"):
        close_incident(incident=incident, note="Drive locked down")
    notify_batch(incident_id=incident.pk)
    closed = close_incident(incident=incident, note="Shared drive locked down; staff retrained.")
    assert "Affected: 1 people in 1 states." in closed.closing_report
    page = officer.get(f"/console/incidents/{incident.pk}/").content.decode()
    assert "Closing report" in page
    assert "Shared drive locked down; staff retrained." in page
