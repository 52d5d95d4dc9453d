"""manage.py evidence_pack --from DATE --to DATE [--out FOLDER]: write the signed evidence pack
(JSON, HTML, PDF, manifest, signature, public key) for a regulator or an auditor."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.env import VAR_DIR
from goodskin.compliance.actions import record_evidence_pack
from goodskin.compliance.evidence import PackRefused, gather, write
from goodskin.core.context import Actor, acting_as


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it like 2026-01-31") from None


class Command(BaseCommand):
    help = "Write a signed evidence pack of the policy's checks over a period."
    capability = "compliance.view_compliance"  # reads; writes only the pack's own files

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, metavar="DATE")
        parser.add_argument("--to", dest="end", required=True, metavar="DATE")
        parser.add_argument("--out", metavar="FOLDER", help="default: var/evidence/FROM_TO")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _day(options["start"]), _day(options["end"])
        folder = Path(options["out"] or VAR_DIR / "evidence" / f"{start}_{end}")
        try:
            pack = gather(start, end)
        except PackRefused as refused:
            raise CommandError(str(refused)) from None
        written = write(pack, folder)
        with acting_as(Actor.system("compliance")):
            record_evidence_pack(start=start, end=end, checks=len(pack["checks"]))
        self.stdout.write(
            f"Evidence pack for {start} to {end} written to {written.folder}\n"
            f"Signed with the key whose fingerprint is {written.fingerprint}\n"
            f"Verify it with: manage.py evidence_pack_verify {written.folder}"
        )
