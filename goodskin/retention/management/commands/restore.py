from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from goodskin.core.context import Actor, acting_as
from goodskin.retention.actions import restore_from_backup
from goodskin.retention.backups import BackupRefused


class Command(BaseCommand):
    # The capability of the staff an operator stands in for when running it (core/doors.py).
    capability = "retention.run_backups"
    help = (
        "Replace the data database with an encrypted backup, then re-apply every erasure and "
        "retention run made since, so no one erased or expired comes back. The file is checked "
        "whole before anything changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the current data is replaced"
        )

    def handle(self, *args: Any, file: Path, yes: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"no such backup file: {file}")
        if not yes:
            raise CommandError("restoring replaces the data database: add --yes to go ahead")
        try:
            with acting_as(Actor.system("restore")):
                restored = restore_from_backup(path=file)
        except BackupRefused as error:
            raise CommandError(f"refused, nothing changed: {error}") from None
        self.stdout.write(
            f"restored the backup of {restored.created}; erased again: "
            f"{restored.erasures_reapplied} person(s); expired since: {restored.expired} row(s)"
        )
