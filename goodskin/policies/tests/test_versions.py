"""Versioned policies and the 30-day rule, end to end: drafts, publication, notices by email and on
the site, acceptance, and which version governed whom, when."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from goodskin.accounts.actions import close_account
from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import PASSWORD, make_account, make_staff
from goodskin.accounts.tests.signing_in import StaffClient
from goodskin.approvals.actions import ApprovalRefused, decide
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.models import Notice
from goodskin.core.smtp_sink import SmtpSink
from goodskin.policies.actions import (
    PublishRefused,
    accept,
    ask_to_publish,
    publish,
    record_deliveries,
    save_draft,
)
from goodskin.policies.documents import InvalidDocument
from goodskin.policies.models import PolicyNotice, PolicyVersion
from goodskin.policies.queries import version_in_force, versions_in_force
from goodskin.policies.tasks import announce_version
from goodskin.policies.tests.conftest import publish_material
from goodskin.vault.actions import person_for_email
from goodskin.vault.models import Person

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")
DAY0 = datetime(2027, 3, 1, 9, 0, tzinfo=LA)
NEW_WORDS = "We keep consultation notes for seven years, as California requires of medical records."
SUMMARY = {
    "en": "We now keep consultation notes for seven years.",
    "es": "Ahora guardamos las notas siete años.",
}


def day(number: float) -> datetime:
    return DAY0 + timedelta(days=number)


def v1() -> PolicyVersion:
    return PolicyVersion.objects.get(document="privacy", number=1)


def changed_content(words: str = NEW_WORDS) -> list[dict[str, Any]]:
    content: list[dict[str, Any]] = copy.deepcopy(v1().content)
    retention = next(s for s in content if s["key"] == "retention-security")
    retention["clauses"][0]["text"] = {"en": words, "es": "Guardamos las notas siete años."}
    return content


def draft(words: str = NEW_WORDS) -> PolicyVersion:
    return save_draft(document="privacy", content=changed_content(words), summary=SUMMARY)


def published_count() -> int:
    return PolicyVersion.objects.filter(document="privacy", status="published").count()


def test_the_first_version_is_ours_and_the_privacy_page_shows_it(client: Client) -> None:
    html = client.get("/privacy/").content.decode()
    assert "Version 1, in force since" in html
    assert "Everything we keep, and why" in html  # generated from the data map
    assert 'href="/privacy/state-notice/"' in html  # a clause's own link
    spanish = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Quiénes somos" in spanish


@pytest.mark.parametrize(
    ("kwargs", "message", "field"),
    [
        ({"material": None, "reason": "x"}, "Say whether the change is material.", "material"),
        ({"material": True, "reason": "  "}, "Give the reason the change is material.", "reason"),
        (
            {"material": False, "reason": ""},
            "Give the reason the change is not material.",
            "reason",
        ),
        (
            {"material": True, "reason": "New retention", "announce_at": day(-1)},
            "The notice date is in the past",
            "announce_at",
        ),
    ],
)
@time_machine.travel(DAY0, tick=False)
def test_bad_publications_are_refused_by_field_and_change_nothing(
    kwargs: dict[str, Any], message: str, field: str
) -> None:
    pending = draft()
    with pytest.raises(PublishRefused, match=message) as refused:
        publish(draft=pending, **kwargs)
    assert refused.value.field == field
    assert published_count() == 1
    assert not AuditEntry.objects.filter(event=Event.POLICY_PUBLISHED).exists()


def test_an_unchanged_or_empty_version_cannot_be_published() -> None:
    same = save_draft(document="privacy", content=copy.deepcopy(v1().content))
    with pytest.raises(PublishRefused, match="Nothing has changed since version 1"):
        publish(draft=same, material=False, reason="Tidying")
    with pytest.raises(InvalidDocument, match="at least one section"):
        save_draft(document="privacy", content=[])
    assert published_count() == 1


def test_a_material_change_needs_its_summary_in_both_languages() -> None:
    pending = save_draft(document="privacy", content=changed_content(), summary={"en": "Longer."})
    with pytest.raises(PublishRefused, match="in English and in Spanish"):
        publish(draft=pending, material=True, reason="Retention")


@time_machine.travel(DAY0, tick=False)
def test_an_immaterial_change_is_in_force_for_everyone_on_posting(client: Client) -> None:
    rosa = make_account()
    publish(
        draft=draft("We keep information only as long as we need it."),
        material=False,
        reason="Clearer wording",
    )
    assert version_in_force(person=rosa.person, at=timezone.now()).number == 2  # type: ignore[union-attr]
    assert (
        "We keep information only as long as we need it."
        in client.get("/privacy/").content.decode()
    )
    assert Notice.objects.count() == 0  # nothing to announce


@time_machine.travel(DAY0, tick=False)
def test_notified_on_day_0_the_old_version_governs_on_day_29_and_the_new_one_on_day_30(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    rosa = make_account(verified=True)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        publish_material(draft(), "A new retention period")
    [email] = [m for m in smtp_sink.wait_for(1) if "Changes to our Privacy Policy" in m["Subject"]]
    assert email["To"] == "rosa@example.com"
    assert SUMMARY["en"] in email.get_content()
    assert record_deliveries() == 1
    notice = PolicyNotice.objects.get(person=rosa.person)
    assert notice.emailed_at == DAY0
    assert Notice.objects.get(person=rosa.person).kind == "policy"

    def governing(on: float) -> int | None:
        version = version_in_force(person=rosa.person, at=day(on))
        return version.number if version else None

    assert (governing(29), governing(29.99), governing(30)) == (1, 1, 2)


@time_machine.travel(DAY0, tick=False)
def test_accepting_makes_the_new_version_apply_at_once(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    rosa = make_account(verified=True)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        new = publish_material(draft(), "A new retention period")
    client.post("/accounts/login/", {"email": "rosa@example.com", "password": PASSWORD})
    page = client.get("/privacy/").content.decode()
    assert "Upcoming changes: version 2" in page
    assert NEW_WORDS not in page  # version 1 still governs her

    with time_machine.travel(day(2), tick=False):
        client.post("/accounts/login/", {"email": "rosa@example.com", "password": PASSWORD})
        accepted = client.post(f"/privacy/accept/{new.pk}/")
        assert (accepted.status_code, accepted["Location"]) == (302, "/privacy/")
        assert NEW_WORDS in client.get("/privacy/").content.decode()
    assert version_in_force(person=rosa.person, at=day(1.99)).number == 1  # type: ignore[union-attr]
    assert version_in_force(person=rosa.person, at=day(2)).number == 2  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(event=Event.POLICY_ACCEPTED).count() == 1


@time_machine.travel(DAY0, tick=False)
def test_seeing_the_notice_on_the_site_starts_the_clock_before_the_email_does(
    client: Client,
) -> None:
    rosa = make_account()
    new = publish_material(draft(), "A new retention period", announce_at=day(0))
    PolicyNotice.objects.filter(person=rosa.person).delete()  # as if the email has not gone yet
    with time_machine.travel(day(1), tick=False):
        client.post("/accounts/login/", {"email": "rosa@example.com", "password": PASSWORD})
        client.get("/privacy/")
    assert PolicyNotice.objects.get(person=rosa.person, version=new).seen_at == day(1)
    with time_machine.travel(day(1) + timedelta(minutes=5), tick=False):
        client.get("/privacy/")  # seeing it again is not a new first notice
    assert PolicyNotice.objects.get(person=rosa.person, version=new).seen_at == day(1)
    assert AuditEntry.objects.filter(event=Event.POLICY_NOTICE_SEEN).count() == 1
    assert version_in_force(person=rosa.person, at=day(30.99)).number == 1  # type: ignore[union-attr]
    assert version_in_force(person=rosa.person, at=day(31)).number == 2  # type: ignore[union-attr]


@time_machine.travel(DAY0, tick=False)
def test_a_visitor_sees_the_upcoming_changes_and_the_new_version_after_thirty_days(
    client: Client,
) -> None:
    publish_material(draft(), "A new retention period")
    assert "Upcoming changes: version 2" in client.get("/privacy/").content.decode()
    with time_machine.travel(day(30), tick=False):
        page = client.get("/privacy/").content.decode()
    assert NEW_WORDS in page
    assert "Upcoming changes" not in page


@time_machine.travel(DAY0, tick=False)
def test_someone_who_closed_their_account_mid_notice_gets_no_email_and_keeps_the_old_version(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:

    rosa = make_account(verified=True)
    new = publish_material(draft(), "A new retention period")  # not yet sent
    with time_machine.travel(day(0) + timedelta(hours=1), tick=False):
        close_account(user=rosa)
    with (
        time_machine.travel(day(0) + timedelta(hours=2), tick=False),
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
    ):
        announce_version.call(version_id=new.pk)
    assert not any("Changes to our" in m["Subject"] for m in smtp_sink.messages)
    new.refresh_from_db()
    assert (new.notices_done, new.notices_total) == (0, 0)
    person = Person.objects.get(pk=rosa.person_id)
    assert version_in_force(person=person, at=day(60)).number == 1  # type: ignore[union-attr]


@time_machine.travel(DAY0, tick=False)
def test_everyone_at_once_agrees_with_each_person_asked_alone(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:

    told = make_account(email="told@example.com", verified=True)
    accepted = make_account(email="accepted@example.com", verified=True)
    visitor = person_for_email(email="visitor@example.com")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        new = publish_material(draft(), "A new retention period")
    record_deliveries()

    accept(person=accepted.person, version=new, now=day(5))
    with time_machine.travel(day(3), tick=False):
        late = make_account(email="late@example.com")
    for moment in (day(4), day(10), day(31)):
        everyone = versions_in_force(at=moment)
        for person in (told.person, accepted.person, visitor, late.person):
            alone = version_in_force(person=person, at=moment)
            assert everyone[person.pk] == (alone.number if alone else None), (person.email, moment)
    assert versions_in_force(at=day(10))[accepted.person.pk] == 2
    assert versions_in_force(at=day(10))[told.person.pk] == 1
    assert versions_in_force(at=day(4))[late.person.pk] == 2


def _staff() -> Any:
    return User.objects.get(email="privacy.officer@goodskinclinics.com")


def test_the_version_page_shows_exactly_what_changed(client: Client) -> None:
    publish(draft=draft(), material=False, reason="Clearer wording")
    html = client.get("/privacy/versions/privacy/2/").content.decode()
    assert "What changed since version 1" in html
    assert "<ins>" in html
    assert "<del>" in html
    assert "seven years, as California requires of medical records." in html
    listing = client.get("/privacy/versions/").content.decode()
    assert 'href="/privacy/versions/privacy/2/"' in listing
    # What changed, in the reader's words; staff's own reason only where no summary was written.
    assert "<td>We now keep consultation notes for seven years.</td>" in listing
    assert "Clearer wording" not in listing
    assert "<td>The first version: our rendering of the clinic&#x27;s policy.</td>" in listing
    assert client.get("/privacy/versions/privacy/9/").status_code == 404
    assert client.get("/privacy/versions/nonsense/1/").status_code == 404


@time_machine.travel(DAY0, tick=False)
def test_staff_ask_the_api_which_version_governed_a_person(officer: Client) -> None:
    rosa = make_account()
    publish_material(draft(), "A new retention period")
    url = f"/api/v1/policies/in-force?person={rosa.person_id}&at="
    officer.force_login(_staff())  # a fresh session on the travelled-to day
    before = officer.get(url + day(40).isoformat().replace("+", "%2B")).json()
    assert (before["version"], before["material"]) == (1, False)  # never told: the old one
    assert officer.get(url + "2027-13-01T00:00:00%2B00:00").json() == {
        "detail": "at: give a date and time like 2027-03-01T09:00:00-08:00."
    }
    assert officer.get(url + "2027-03-01T00:00:00").status_code == 400
    assert (
        officer.get(
            "/api/v1/policies/in-force?person=999999&at=2027-03-01T00:00:00%2B00:00"
        ).status_code
        == 404
    )
    assert StaffClient().get(url + "2027-03-01T00:00:00%2B00:00").status_code == 403
    marketing = StaffClient()
    marketing.force_login(make_staff("Marketing", email="marketing@goodskinclinics.com"))
    refused = marketing.get(url + "2027-03-01T00:00:00%2B00:00")
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "Staff whose role includes seeing policy versions only: sign in first."},
    )


@time_machine.travel(DAY0, tick=False)
def test_every_page_carries_the_notice_until_the_change_governs_the_reader(
    client: Client,
) -> None:
    strip = "We are changing our Privacy Policy (version 2)."
    assert strip not in client.get("/").content.decode()
    new = publish_material(draft(), "A new retention period")
    assert strip in client.get("/services/").content.decode()
    make_account()
    client.post("/accounts/login/", {"email": "rosa@example.com", "password": PASSWORD})
    assert strip in client.get("/").content.decode()
    client.post(f"/privacy/accept/{new.pk}/")
    assert strip not in client.get("/").content.decode()
    with time_machine.travel(day(30), tick=False):
        assert strip not in StaffClient().get("/").content.decode()


@time_machine.travel(DAY0, tick=False)
def test_an_announcement_changed_by_a_plain_update_shows_on_the_next_page(client: Client) -> None:
    strip = "We are changing our Privacy Policy (version 2)."
    new = publish_material(draft(), "A new retention period")
    assert strip in client.get("/").content.decode()
    # As a shell or a restore might change it: the trigger moves the notices version, so the
    # kept announcement times are read again rather than served from before the change.
    PolicyVersion.objects.filter(pk=new.pk).update(material=False)
    assert strip not in client.get("/").content.decode()


def test_a_material_change_is_published_only_on_a_second_officers_approval() -> None:
    pending = draft()
    with pytest.raises(PublishRefused, match="needs a second officer's approval"):
        publish(draft=pending, material=True, reason="A new retention period")
    asker = make_staff(email="asker@goodskinclinics.com")
    approver = make_staff(email="approver@goodskinclinics.com")
    asked = ask_to_publish(draft=pending, reason="A new retention period", by=asker)

    with pytest.raises(InvalidDocument, match="A second officer is deciding"):
        save_draft(document="privacy", content=changed_content("Other words"), summary=SUMMARY)
    with pytest.raises(ApprovalRefused, match="You asked for this"):
        decide(approval=asked, by=asker, approve=True)
    assert published_count() == 1

    approved = decide(approval=asked, by=approver, approve=True)
    new = publish(draft=pending, material=True, reason="A new retention period", approval=approved)

    assert new.number == 2
    assert AuditEntry.objects.get(event=Event.POLICY_PUBLISHED).data == {
        "document": "privacy",
        "number": 2,
        "material": True,
        "approval": approved.pk,
    }
    with pytest.raises(ApprovalRefused):  # an approval publishes once
        publish(draft=draft("Yet other words"), material=True, reason="Again", approval=approved)
