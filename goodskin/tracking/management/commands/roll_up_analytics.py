from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from goodskin.tracking.actions import expire_events, roll_up_day


class Command(BaseCommand):
    # The capability of the staff an operator stands in for when running it (core/doors.py).
    capability = "tracking.view_analytics"
    help = (
        "Roll analytics events up into daily summaries for closed days (yesterday by default), "
        "then delete raw events older than 13 months (their days are rolled up first). "
        "Idempotent: re-running a day replaces its summaries. Run it nightly."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--since", help="First day to roll up, YYYY-MM-DD (default: yesterday)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        yesterday = timezone.localdate() - timedelta(days=1)
        try:
            day = date.fromisoformat(options["since"]) if options["since"] else yesterday
        except ValueError:
            raise CommandError("--since must be a date like 2026-11-01") from None
        if day > yesterday:
            raise CommandError("only closed days can be rolled up: choose a day before today")
        done = 0
        days = (yesterday - day).days + 1
        for number in range(days):
            done += roll_up_day(day=day)
            if days > 31 and (number + 1) % 30 == 0:  # a long backfill says how far it has got
                self.stderr.write(f"  … {number + 1} of {days} days rolled up (to {day})")
            day += timedelta(days=1)
        self.stdout.write(f"rolled up {done} daily totals")
        expired = expire_events(now=timezone.now())
        self.stdout.write(f"deleted {expired} raw events older than 13 months")
