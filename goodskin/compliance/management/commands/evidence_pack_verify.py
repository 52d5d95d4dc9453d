"""manage.py evidence_pack_verify FOLDER [--public-key FILE]: exit 0 when the pack's files are
the ones signed and the signature verifies (under the given key, when the auditor has it from
the clinic), 1 with what is wrong otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from goodskin.compliance.evidence import problems


class Command(BaseCommand):
    help = "Verify a signed evidence pack."
    capability = None  # reads files only

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")
        parser.add_argument("--public-key", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder: give the pack's folder")
        key = Path(options["public_key"]) if options["public_key"] else None
        if key is not None and not key.is_file():
            raise CommandError(f"{key} is not a file: give the public key's PEM file")
        found = problems(folder, expected_key=key)
        if found:
            for problem in found:
                self.stderr.write(f"evidence_pack_verify: {problem}")
            raise SystemExit(1)
        self.stdout.write(f"{folder}: the signature verifies and no file was changed.")
