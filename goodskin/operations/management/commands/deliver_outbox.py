from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from goodskin.communications.actions.campaigns import queue_campaign_batch
from goodskin.communications.delivery import deliver_all_due
from goodskin.communications.models import Campaign, CampaignStatus
from goodskin.core.context import Actor, acting_as
from goodskin.policies.actions import resume_announcements


class Command(BaseCommand):
    # The capability of the staff an operator stands in for when running it (core/doors.py).
    capability = "communications.release_message"
    help = (
        "Start campaigns that are due, finish announcing policy changes a worker left half done, "
        "and deliver every message that is due. The worker does this on its own; run it from "
        "cron as a safety net or by hand after a mail outage."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        due = Campaign.objects.filter(
            status__in=[CampaignStatus.SCHEDULED, CampaignStatus.SENDING], scheduled_for__lte=now
        ).values_list("pk", flat=True)
        with acting_as(Actor.system("campaigns")):
            for campaign_id in due:
                batches = 1
                while not queue_campaign_batch(campaign_id=campaign_id):
                    batches += 1
                self.stdout.write(f"campaign {campaign_id}: audience queued in {batches} batches")
        with acting_as(Actor.system("policy-notices")):
            resumed = resume_announcements(now=now)
        if resumed:
            self.stdout.write(f"policy changes: finished announcing {resumed}")
        report = deliver_all_due()
        self.stdout.write(f"outbox: {report.line()}")
        if report.server_error:
            raise CommandError(
                f"the mail server is {report.server_error}; messages wait and will be retried"
            )
