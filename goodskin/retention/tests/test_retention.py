"""The retention promise: data goes when its time is up, in small audited batches, except what a
legal hold keeps; rules are data with legal floors; holds end only when someone releases them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from goodskin.accounts.actions import close_account
from goodskin.accounts.tests.conftest import approved_by_a_second_person, make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.models import Message
from goodskin.core.smtp_sink import SmtpSink
from goodskin.retention.actions import (
    RELEASE,
    HoldRefused,
    RuleTooShort,
    apply_retention,
    change_rule,
    place_hold,
    release_hold,
    remind_due_holds,
)
from goodskin.retention.models import RetentionRule
from goodskin.submissions.actions import submit_contact_message
from goodskin.submissions.models import ContactMessage
from goodskin.tracking.models import DailySummary, PageEvent
from goodskin.tracking.tests.factories import page_event
from goodskin.vault.models import Person

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 29, 20, 0, tzinfo=ZoneInfo("UTC"))
TODAY = date(2026, 11, 29)


def contact(email: str, *, days_ago: int) -> ContactMessage:
    submit_contact_message(
        full_name="Rosa Delgado",
        email=email,
        language="en",
        today=TODAY,
        phone="",
        topic="question",
        message="Do you treat melasma?",
        client_address=f"192.0.2.{days_ago % 250}",
    )
    row = ContactMessage.objects.order_by("-pk").first()
    assert row is not None
    ContactMessage.objects.filter(pk=row.pk).update(created_at=NOW - timedelta(days=days_ago))
    return row


def emails_of(rows: object) -> list[str]:
    return sorted(ContactMessage.objects.values_list("email", flat=True))


def test_expired_submissions_go_and_held_or_recent_people_keep_theirs() -> None:
    contact("old@example.com", days_ago=800)
    contact("held@example.com", days_ago=800)
    contact("active@example.com", days_ago=800)
    contact("active@example.com", days_ago=10)  # last contact recent: the old one stays too
    contact("young@example.com", days_ago=100)
    place_hold(
        reason="dispute",
        case_reference="GS-2026-014",
        review_on=TODAY + timedelta(days=90),
        people=[Person.objects.get(email="held@example.com")],
        today=TODAY,
    )

    [report] = apply_retention(now=NOW, only="submission")

    assert report.counts == {"submissions.ConsultationRequest": 0, "submissions.ContactMessage": 1}
    assert emails_of(ContactMessage) == [
        "active@example.com",
        "active@example.com",
        "held@example.com",
        "young@example.com",
    ]
    [batch] = AuditEntry.objects.filter(event=Event.RETENTION_BATCH)
    assert batch.data == {
        "rule": "submission",
        "table": "submissions.contactmessage",
        "rows": 1,
        "cutoff": "2024-11-29",
    }


def test_a_dry_run_reports_per_rule_and_changes_nothing() -> None:
    for number in range(3):
        contact(f"p{number}@example.com", days_ago=900)
    audit_before = AuditEntry.objects.count()
    out = StringIO()

    call_command(
        "apply_retention", "--dry-run", "--rule", "submission", stdout=out, stderr=StringIO()
    )

    assert ContactMessage.objects.count() == 3
    assert AuditEntry.objects.count() == audit_before
    assert "submission: older than " in out.getvalue()
    # In the clinic's time, as the console shows it: Pacific, not UTC.
    assert re.search(r"older than \d{4}-\d\d-\d\d \d\d:\d\d P[SD]T — ", out.getvalue())
    assert (
        "would remove 3 (0 from submissions.ConsultationRequest; 3 from submissions.ContactMessage)"
        in out.getvalue()
    )


def test_work_goes_in_batches_each_audited_and_a_second_run_does_nothing() -> None:
    for number in range(5):
        contact(f"p{number}@example.com", days_ago=900)

    [first] = apply_retention(now=NOW, only="submission", batch_size=2)
    [second] = apply_retention(now=NOW, only="submission", batch_size=2)

    assert (first.total, first.batches) == (5, 3)
    assert (second.total, second.batches) == (0, 0)
    assert [
        entry.data["rows"]
        for entry in AuditEntry.objects.filter(event=Event.RETENTION_BATCH).order_by("sequence")
    ] == [2, 2, 1]


def test_a_category_hold_keeps_every_table_holding_that_category() -> None:
    contact("old@example.com", days_ago=900)
    hold = place_hold(
        reason="litigation",
        case_reference="LASC 26STCV01234",
        review_on=TODAY + timedelta(days=30),
        category="user.content",  # covers user.content.private: the sealed messages
        today=TODAY,
    )

    [report] = apply_retention(now=NOW, only="submission")

    assert report.held == {
        "submissions.ConsultationRequest": [hold.pk],
        "submissions.ContactMessage": [hold.pk],
    }
    assert ContactMessage.objects.count() == 1
    release_hold(hold=hold, approval=approved_by_a_second_person(RELEASE, hold))
    apply_retention(now=NOW, only="submission")
    assert ContactMessage.objects.count() == 0


def test_people_left_with_nothing_are_erased_after_the_grace_period_unless_held() -> None:
    contact("gone@example.com", days_ago=900)
    contact("held@example.com", days_ago=900)
    Person.objects.update(created_at=NOW - timedelta(days=900))
    Message.objects.update(created_at=NOW - timedelta(days=900), status="sent")  # confirmations
    place_hold(
        reason="fees_owed",
        case_reference="INV-2291",
        review_on=TODAY + timedelta(days=30),
        people=[Person.objects.get(email="held@example.com")],
        today=TODAY,
    )

    apply_retention(now=NOW)

    assert Message.objects.filter(person__email="held@example.com").count() == 1
    people = [(p.email, p.erased_at is None) for p in Person.objects.order_by("pk")]
    assert people == [(None, False), ("held@example.com", True)]


def test_raw_analytics_are_summed_into_daily_totals_before_they_go() -> None:
    old = NOW - timedelta(days=400)
    page_event(old)

    apply_retention(now=NOW, only="analytics-events")

    assert PageEvent.objects.count() == 0
    assert DailySummary.objects.filter(dimension="site").count() == 1


def test_a_rule_shorter_than_its_legal_floor_is_refused_and_unchanged() -> None:
    consent = RetentionRule.objects.get(key="consent")
    with pytest.raises(
        RuleTooShort,
        match=r"at least 730 days for “consent” \(Cal\. Code Regs\. tit\. 11, § 7101\(a\)\)",
    ):
        change_rule(rule=consent, period_days=365, counted_from="collection", outcome="delete")
    suppression = RetentionRule.objects.get(key="suppression")
    with pytest.raises(RuleTooShort, match="kept with no end date"):
        change_rule(rule=suppression, period_days=3650, counted_from="collection", outcome="delete")
    consent.refresh_from_db()
    assert consent.period_days == 1095
    assert not AuditEntry.objects.filter(event=Event.RETENTION_RULE_CHANGED).exists()


def test_a_changed_rule_is_audited_and_shown_in_plain_words_on_the_policy_page(
    client: Client,
) -> None:
    rule = RetentionRule.objects.get(key="submission")
    assert change_rule(
        rule=rule, period_days=365, counted_from="last_activity", outcome="delete"
    ) == ["period_days"]
    entry = AuditEntry.objects.get(event=Event.RETENTION_RULE_CHANGED)
    assert entry.data == {"rule": "submission", "fields": ["period_days"], "period_days": 365}

    page = client.get("/privacy/").content.decode()
    assert "1 year after your last contact with us, then deleted" in page
    assert (
        "13 months after we receive it, then kept only as totals that cannot identify anyone"
        in page
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": ""}, "Choose the reason for the hold."),
        ({"case_reference": "  "}, "Give the case or matter reference the hold is for."),
        ({"review_on": TODAY}, "The review date must be after today."),
        ({"people": []}, "Name the people, or the data category, the hold covers."),
    ],
)
def test_a_hold_missing_what_it_needs_is_refused(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "reason": "dispute",
        "case_reference": "GS-1",
        "review_on": TODAY + timedelta(days=1),
        "people": [],
        "category": "user.content",
        "today": TODAY,
    }
    values.update(fields)
    if "people" in fields:
        values["category"] = ""
    with pytest.raises(HoldRefused, match=message):
        place_hold(**values)  # type: ignore[arg-type]  # built above
    assert not AuditEntry.objects.filter(event=Event.HOLD_PLACED).exists()


def test_closing_an_account_under_a_hold_keeps_the_data_says_why_and_erases_on_release(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    user = make_account(email="rosa@example.com")
    hold = place_hold(
        reason="dispute",
        case_reference="GS-2026-014",
        review_on=TODAY + timedelta(days=60),
        people=[user.person],
        today=TODAY,
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        outcome = close_account(user=user)

    assert outcome.erased is False
    user.refresh_from_db()
    assert (user.is_active, user.email) == (False, "rosa@example.com")
    [message] = smtp_sink.wait_for(1)
    body = message.get_content()
    assert message["Subject"] == "Your GoodSkin account is closed"
    assert "- a dispute that is not yet resolved" in body
    assert "- your account" in body
    assert AuditEntry.objects.get(event=Event.ERASURE_HELD).data == {
        "reason": "account_closed",
        "holds": [str(hold.pk)],
    }

    release = release_hold(hold=hold, approval=approved_by_a_second_person(RELEASE, hold))

    assert [report.person_id for report in release.erased] == [user.person_id]
    user.refresh_from_db()
    assert user.email != "rosa@example.com"
    assert Person.objects.get(pk=user.person_id).erased_at is not None


def test_a_hold_past_its_review_date_stays_in_force_and_reminds_once_a_day(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    contact("held@example.com", days_ago=900)
    hold = place_hold(
        reason="investigation",
        case_reference="OCR-77",
        review_on=TODAY + timedelta(days=1),
        people=[Person.objects.get(email="held@example.com")],
        today=TODAY,
    )
    later = TODAY + timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert remind_due_holds(today=later) == 1
        assert remind_due_holds(today=later) == 0
    [reminder] = [m for m in smtp_sink.messages if m["To"] != "held@example.com"]
    assert reminder["To"] == "privacy.officer@goodskinclinics.com"
    assert reminder["Subject"] == f"Legal hold {hold.pk} (OCR-77) is due for review"
    apply_retention(now=NOW + timedelta(days=5), only="submission")
    assert ContactMessage.objects.count() == 1  # still held


def test_the_command_names_an_unknown_rule_and_changes_nothing(unchanged: Any) -> None:
    contact("old@example.com", days_ago=900)  # expired: a run of the right rule would remove it
    with (
        unchanged(),
        pytest.raises(CommandError, match=r"^no retention rule 'submissions'; the rules are: "),
    ):
        call_command("apply_retention", "--rule", "submissions")
    assert ContactMessage.objects.count() == 1


def test_a_held_person_with_nothing_else_left_is_not_erased_by_the_person_rule() -> None:
    """Their forms expired and went; the hold keeps the person (and their address) whole."""
    held = contact("held@example.com", days_ago=800).person
    gone = contact("gone@example.com", days_ago=800).person
    Person.objects.filter(pk__in=[held.pk, gone.pk]).update(created_at=NOW - timedelta(days=800))
    place_hold(
        reason="litigation",
        case_reference="CV-2026-118",
        review_on=TODAY + timedelta(days=30),
        people=[held],
        today=TODAY,
    )
    # The submission and outbox rules already took their forms and the reply we sent.
    ContactMessage.objects.all().delete()
    Message.objects.all().delete()
    apply_retention(now=NOW, only="person")
    assert Person.objects.get(pk=gone.pk).erased_at is not None
    kept = Person.objects.get(pk=held.pk)
    assert (kept.erased_at, kept.email) == (None, "held@example.com")
