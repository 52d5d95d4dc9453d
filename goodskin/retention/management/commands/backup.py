from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from goodskin.core.context import Actor, acting_as
from goodskin.retention.actions import take_backup
from goodskin.retention.backups import BackupRefused, list_backups


class Command(BaseCommand):
    # The capability of the staff an operator stands in for when running it (core/doors.py).
    capability = "retention.run_backups"
    help = (
        "Write an encrypted backup of the data database to BACKUP_DIR (the keyring is never in "
        "it), then delete backups older than the 'backups' retention rule. --list shows them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="list backups with their age")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            now = timezone.now()
            backups = list_backups()
            for backup in backups:
                age = now - backup.created
                self.stdout.write(
                    f"{backup.path.name}  {backup.size:,} bytes  {age.days} days "
                    f"{age.seconds // 3600} hours old"
                )
            if not backups:
                self.stdout.write("no backups yet")
            return
        try:
            with acting_as(Actor.system("backup")):
                backup = take_backup()
        except (BackupRefused, OSError) as error:
            raise CommandError(f"backup failed: {error}") from None
        self.stdout.write(f"wrote {backup.path} ({backup.size:,} bytes, encrypted)")
