"""Marketing campaigns: drafts, scheduling, cancelling, and queueing the audience in batches
that a restarted worker continues without sending twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event

# By module: the tasks run these actions, so each side looks the other up when it runs.
from goodskin.communications import tasks

# By module: the outbox wakes the tasks that run these campaigns (see communications/tasks.py).
from goodskin.communications.actions import outbox
from goodskin.communications.models import (
    Campaign,
    CampaignStatus,
    ContactPreferences,
    Kind,
    Message,
    Status,
)
from goodskin.communications.queries import campaign_audience

# A form posted a few seconds after the minute it named is not "in the past".
_GRACE = timedelta(minutes=1)


CAMPAIGN_FIELDS = (
    "name",
    "topic",
    "channel",
    "subject_en",
    "body_en",
    "subject_es",
    "body_es",
    "audience_clinic",
    "audience_interest",
)


class CampaignLocked(ValueError):
    """The campaign has started; its text and audience can no longer change."""


@transaction.atomic
def save_campaign(*, campaign: Campaign) -> Campaign:
    """Create or edit a draft. The caller has validated the fields (forms.CampaignForm)."""
    if not campaign._state.adding:
        stored = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if stored.status != CampaignStatus.DRAFT:
            raise CampaignLocked("Only a draft can be edited.")
        campaign.save(update_fields=list(CAMPAIGN_FIELDS))
    else:
        campaign.status = CampaignStatus.DRAFT
        campaign.save()
    record(Event.CAMPAIGN_SAVED, target=campaign, data={"topic": campaign.topic})
    return campaign


@transaction.atomic
def schedule_campaign(*, campaign: Campaign, send_at: datetime) -> Campaign:
    """Fix the audience size and hand the campaign to the worker for `send_at` (or now)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise CampaignLocked("This campaign has already been scheduled.")
    now = timezone.now()
    if send_at < now - _GRACE:
        raise ValueError("The sending time is in the past.")
    campaign.status = CampaignStatus.SCHEDULED
    campaign.scheduled_for = max(send_at, now)
    campaign.audience_size = campaign_audience(campaign).count()
    campaign.save(update_fields=["status", "scheduled_for", "audience_size"])
    record(
        Event.CAMPAIGN_SCHEDULED,
        target=campaign,
        data={"audience": campaign.audience_size, "channel": campaign.channel},
    )
    campaign_id, run_at = campaign.pk, campaign.scheduled_for

    transaction.on_commit(
        lambda: tasks.run_later(tasks.send_campaign, at=run_at, campaign_id=campaign_id)
    )
    return campaign


@transaction.atomic
def cancel_campaign(*, campaign: Campaign) -> int:
    """Stop a campaign: messages not yet handed over are withdrawn. Returns how many."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    waiting = Message.objects.filter(campaign=campaign, status=Status.QUEUED)
    if campaign.status == CampaignStatus.CANCELLED or (
        campaign.status == CampaignStatus.SENT and not waiting.exists()
    ):
        raise CampaignLocked("This campaign has finished.")
    withdrawn = waiting.update(status=Status.CANCELLED, last_error="Campaign cancelled by staff")
    campaign.status = CampaignStatus.CANCELLED
    campaign.finished_at = timezone.now()
    campaign.save(update_fields=["status", "finished_at"])
    record(Event.CAMPAIGN_CANCELLED, target=campaign, data={"withdrawn": withdrawn})
    return withdrawn


def queue_campaign_batch(*, campaign_id: int, batch_size: int = 1000) -> bool:
    """Queue the next `batch_size` recipients in one short transaction. Returns True when the
    whole audience is queued. Safe to repeat after a crash: the cursor and each message's
    dedupe key make a second run queue nothing twice."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.status in {CampaignStatus.SENT, CampaignStatus.CANCELLED, CampaignStatus.DRAFT}:
            return True
        now = timezone.now()
        if campaign.scheduled_for is not None and campaign.scheduled_for > now:
            return True  # a second, early run: the scheduled one will come
        if campaign.status == CampaignStatus.SCHEDULED:
            campaign.status = CampaignStatus.SENDING
            campaign.started_at = now
        people = list(
            campaign_audience(campaign)
            .filter(pk__gt=campaign.fanout_cursor)
            .values_list("pk", flat=True)[:batch_size]
        )
        languages = dict(
            ContactPreferences.objects.filter(person_id__in=people).values_list(
                "person_id", "language"
            )
        )
        Message.objects.bulk_create(
            [
                Message(
                    person_id=person_id,
                    kind=Kind.MARKETING,
                    channel=campaign.channel,
                    topic=campaign.topic,
                    template="campaign",
                    language=languages.get(person_id, "en"),
                    campaign=campaign,
                    dedupe_key=f"campaign:{campaign.pk}:person:{person_id}",
                    next_attempt_at=now,
                )
                for person_id in people
            ],
            ignore_conflicts=True,
        )
        finished = len(people) < batch_size
        if people:
            campaign.fanout_cursor = people[-1]
            record(
                Event.CAMPAIGN_BATCH_QUEUED,
                target=campaign,
                data={"messages": len(people), "last_person": people[-1]},
            )
        if finished:
            campaign.status = CampaignStatus.SENT
            campaign.finished_at = now
            record(
                Event.CAMPAIGN_FINISHED, target=campaign, data={"audience": campaign.audience_size}
            )
        campaign.save(update_fields=["status", "started_at", "fanout_cursor", "finished_at"])
        if people:
            outbox.deliver_after_commit()
        return finished
