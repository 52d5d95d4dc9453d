from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from goodskin.core.context import Actor, acting_as
from goodskin.retention.actions import apply_retention, remind_due_holds
from goodskin.retention.models import RetentionRule


class Command(BaseCommand):
    # The capability of the staff an operator stands in for when running it (core/doors.py).
    capability = "retention.change_rule"
    help = (
        "Remove data whose retention period has ended, rule by rule, in small batches, skipping "
        "anything under a legal hold; remind the privacy officer of holds due for review. "
        "Safe to run twice and to resume after a crash. Run it nightly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would go, per rule; change nothing"
        )
        parser.add_argument("--rule", help="apply only this rule (its key, e.g. submission)")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        only = options["rule"]
        if only and not RetentionRule.objects.filter(key=only).exists():
            known = ", ".join(RetentionRule.objects.values_list("key", flat=True)) or "none yet"
            raise CommandError(f"no retention rule {only!r}; the rules are: {known}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        dry = options["dry_run"]
        with acting_as(Actor.system("retention")):
            reports = apply_retention(
                dry_run=dry,
                only=only,
                batch_size=options["batch_size"],
                progress=lambda line: self.stderr.write(f"  … {line}"),
            )
            reminders = 0 if dry else remind_due_holds(today=timezone.localdate())
        verb = "would remove" if dry else "removed"
        for report in reports:
            if report.cutoff is None:
                self.stdout.write(f"{report.rule}: no age limit")
                continue
            parts = [f"{count} from {table}" for table, count in sorted(report.counts.items())]
            parts += [
                f"{table} kept by hold {', '.join(map(str, holds))}"
                for table, holds in sorted(report.held.items())
            ]
            # The clinic's own time, as the console shows it.
            cutoff = timezone.localtime(report.cutoff)
            self.stdout.write(
                f"{report.rule}: older than {cutoff:%Y-%m-%d %H:%M %Z} — "
                f"{verb} {report.total}" + (f" ({'; '.join(parts)})" if parts else "")
            )
        if reminders:
            self.stdout.write(f"{reminders} legal hold(s) due for review: reminder sent")
