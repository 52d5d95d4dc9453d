"""Campaigns: only people who chose the topic, filtered by clinic or interest, queued in short
batches by the worker (never in one transaction or in the web process), with progress and
counts staff can read, and a cancel that withdraws what has not gone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.actions.campaigns import (
    CampaignLocked,
    cancel_campaign,
    queue_campaign_batch,
    schedule_campaign,
)
from goodskin.communications.actions.choices import update_preferences
from goodskin.communications.models import Campaign, CampaignStatus, Message, Source, Status
from goodskin.communications.queries import campaign_audience, campaign_progress, choices_for
from goodskin.communications.sms import MemorySmsBackend
from goodskin.communications.tests.conftest import (
    campaign,
    clinic,
    deliver,
    opted_in,
    person,
    statuses,
)
from goodskin.core.smtp_sink import SmtpSink
from goodskin.website.models import Service

pytestmark = pytest.mark.django_db


def test_the_audience_is_only_verified_people_who_chose_the_topic_on_that_channel() -> None:
    chose = opted_in(person("ana@example.com"), "offers")
    opted_in(person("ben@example.com", verified=False), "offers")
    opted_in(person("cai@example.com"), "newsletter")
    person("dee@example.com")
    texts = opted_in(person("eve@example.com", phone="+13105550123"), "offers", channel="sms")

    assert list(campaign_audience(campaign())) == [chose]
    assert list(campaign_audience(campaign(channel="sms", name="Text"))) == [texts]


def test_an_audience_can_be_narrowed_to_a_clinic_and_an_interest() -> None:
    brentwood, silver_lake = clinic("brentwood"), clinic("silver-lake")
    facial = Service.objects.create(
        slug="hydrafacial",
        category="facials",
        name_en="Hydrafacial",
        summary_en="-",
        duration_minutes=45,
    )
    ana = opted_in(person("ana@example.com"), "offers")
    ben = opted_in(person("ben@example.com"), "offers")
    update_preferences(
        person=ana,
        choices={},
        source=Source.ACCOUNT,
        home_clinic_id=brentwood.pk,
        interest_ids=[facial.pk],
    )
    update_preferences(person=ben, choices={}, source=Source.ACCOUNT, home_clinic_id=silver_lake.pk)

    assert list(campaign_audience(campaign(audience_clinic=brentwood))) == [ana]
    assert list(campaign_audience(campaign(audience_interest=facial, name="Facials"))) == [ana]
    assert list(campaign_audience(campaign(audience_clinic=silver_lake, name="SL"))) == [ben]


def test_queueing_goes_in_short_batches_and_a_crashed_run_resumes_without_duplicates(
    smtp_sink: SmtpSink, queue_only: None
) -> None:
    people = [opted_in(person(f"p{n}@example.com"), "offers") for n in range(7)]
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())

    assert queue_campaign_batch(campaign_id=offer.pk, batch_size=3) is False
    offer.refresh_from_db()
    assert (offer.status, offer.fanout_cursor, Message.objects.count()) == (
        CampaignStatus.SENDING,
        people[2].pk,
        3,
    )
    # A crash after the batch committed but before the cursor moved: replay from the start.
    type(offer).objects.filter(pk=offer.pk).update(fanout_cursor=0)
    while not queue_campaign_batch(campaign_id=offer.pk, batch_size=3):
        pass

    assert Message.objects.count() == 7
    assert sorted(Message.objects.values_list("person_id", flat=True)) == [p.pk for p in people]
    assert AuditEntry.objects.filter(event=Event.CAMPAIGN_BATCH_QUEUED).count() == 4
    offer.refresh_from_db()
    assert offer.status == CampaignStatus.SENT
    deliver()
    assert len(smtp_sink.messages) == 7


def test_progress_counts_what_was_sent_suppressed_and_waiting(
    smtp_sink: SmtpSink, queue_only: None
) -> None:
    ana = opted_in(person("ana@example.com"), "offers")
    opted_in(person("ben@example.com"), "offers")
    opted_in(person("cai@example.com"), "offers")
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    queue_campaign_batch(campaign_id=offer.pk)
    update_preferences(person=ana, choices={("offers", "email"): False}, source=Source.ACCOUNT)
    smtp_sink.refuse_recipients["cai@example.com"] = "550 5.1.1 No such user"

    deliver()

    offer.refresh_from_db()
    progress = campaign_progress(offer)
    assert (progress.audience, progress.sent, progress.suppressed, progress.failed) == (3, 1, 1, 1)
    assert (progress.waiting, progress.percent) == (0, 100)
    assert AuditEntry.objects.get(event=Event.MARKETING_BATCH_SENT).data == {
        "campaign": offer.pk,
        "sent": 1,
    }


def test_a_cancelled_campaign_withdraws_what_has_not_gone_and_cannot_restart(
    smtp_sink: SmtpSink, queue_only: None
) -> None:
    opted_in(person("ana@example.com"), "offers")
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    queue_campaign_batch(campaign_id=offer.pk)

    assert cancel_campaign(campaign=offer) == 1
    deliver()

    assert smtp_sink.messages == []
    assert statuses() == [Status.CANCELLED]
    with pytest.raises(CampaignLocked):
        schedule_campaign(campaign=offer, send_at=timezone.now())


def test_a_campaign_scheduled_for_later_waits_for_its_time(queue_only: None) -> None:
    opted_in(person("ana@example.com"), "offers")
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now() + timedelta(days=1))

    assert queue_campaign_batch(campaign_id=offer.pk) is True  # early: does nothing
    assert Message.objects.count() == 0
    offer.refresh_from_db()
    assert offer.status == CampaignStatus.SCHEDULED


def test_a_sending_time_in_the_past_is_refused_and_changes_nothing(unchanged: Any) -> None:
    offer = campaign()
    with unchanged(), pytest.raises(ValueError, match="The sending time is in the past."):
        schedule_campaign(campaign=offer, send_at=timezone.now() - timedelta(hours=2))
    offer.refresh_from_db()
    assert offer.status == CampaignStatus.DRAFT


def test_a_text_message_campaign_goes_to_verified_phones_with_stop_instructions(
    queue_only: None,
) -> None:
    opted_in(person("eve@example.com", phone="+13105550123"), "offers", channel="sms")
    offer = campaign(channel="sms", body_en="20% off facials this week. Book at goodskin.")
    schedule_campaign(campaign=offer, send_at=timezone.now())
    queue_campaign_batch(campaign_id=offer.pk)

    deliver()

    [text] = MemorySmsBackend.sent
    assert text.to == "+13105550123"
    assert (
        text.body == "GoodSkin: 20% off facials this week. Book at goodskin. Reply STOP to opt out."
    )
    assert statuses() == [Status.SENT]


def test_staff_compose_preview_and_schedule_a_campaign_from_the_console(
    officer: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    opted_in(person("ana@example.com"), "offers")
    form = {
        "name": "Winter glow",
        "topic": "offers",
        "channel": "email",
        "subject_en": "Winter glow",
        "body_en": "Book a facial.",
        "subject_es": "Brillo de invierno",
        "body_es": "Reserve un facial.",
    }
    created = officer.post("/console/campaigns/new/", form)
    assert created.status_code == 302
    page = officer.get(created["Location"])
    assert page.status_code == 200
    assert "Audience if sent now" in page.content.decode()
    preview = officer.get(created["Location"] + "preview/en/")
    assert preview.status_code == 200
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    assert "sandbox" in preview["Content-Security-Policy"]
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "Book a facial." in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        scheduled = officer.post(created["Location"], {"action": "schedule", "send_at": ""})
    assert scheduled.status_code == 302
    [sent] = smtp_sink.wait_for(1)
    assert sent["Subject"] == "Winter glow"
    progress = officer.get(created["Location"] + "progress.json").json()
    assert (progress["status"], progress["sent"], progress["percent"]) == ("sent", 1, 100)


def test_a_subject_with_a_line_break_is_a_form_error_on_that_field(officer: Client) -> None:
    response = officer.post(
        "/console/campaigns/new/",
        {
            "name": "Bad",
            "topic": "offers",
            "channel": "email",
            "subject_en": "Hello\r\nBcc: everyone@example.net",
            "body_en": "x",
            "subject_es": "Hola",
            "body_es": "x",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "subject_en": ["The subject must be a single line; remove the line break."]
    }

    assert Campaign.objects.count() == 0


def test_the_outbox_page_shows_health_and_staff_opt_outs_reveal_nothing(officer: Client) -> None:
    known = opted_in(person("ana@example.com"), "offers")
    page = officer.get("/console/messages/")
    assert page.status_code == 200
    answers = [
        officer.post("/console/messages/", {"email": email, "received_by": "staff"}, follow=True)
        for email in ("ana@example.com", "nobody@example.net")
    ]
    assert [response.status_code for response in answers] == [200, 200]
    notes = [list(response.context["messages"])[0].message for response in answers]
    assert notes[0] == notes[1]

    assert choices_for(known)[("offers", "email")] is False
    bad = officer.post("/console/messages/", {"email": "not an address", "received_by": "staff"})
    assert bad.status_code == 400
    assert bad.context["form"].errors["email"]
