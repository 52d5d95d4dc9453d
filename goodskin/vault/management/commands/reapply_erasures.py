from typing import Any

from django.core.management.base import BaseCommand

from goodskin.core.context import Actor, acting_as
from goodskin.vault.actions import reapply_erasures


class Command(BaseCommand):
    # The capability of the staff an operator stands in for when running it (core/doors.py).
    capability = "vault.manage_keys"
    help = (
        "After restoring the data database from a backup: erase again everyone the erasure "
        "journal (kept in the keyring database) says was erased, wherever their rows or key came "
        "back. Idempotent; safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(count: int) -> None:  # once per journal batch of 500
            self.stderr.write(f"  … re-erased {count} so far")

        with acting_as(Actor.system("reapply-erasures")):
            count = reapply_erasures(progress=progress if options["verbosity"] > 0 else None)
        self.stdout.write(
            f"re-erased {count} {'person' if count == 1 else 'people'}"
            if count
            else "nothing to do: every erasure is in force"
        )
