from typing import Any

from django.core.management.base import BaseCommand, CommandError

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.core.context import Actor, acting_as
from goodskin.vault import keys


class Command(BaseCommand):
    # The capability of the staff an operator stands in for when running it (core/doors.py).
    capability = "vault.manage_keys"
    help = (
        "Re-wrap every person key under the current GOODSKIN_MASTER_KEY. Run it after deploying a "
        "new key with the old one in GOODSKIN_PREVIOUS_MASTER_KEYS; the site keeps working "
        "throughout. Idempotent, in batches, resumable."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Keys per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"re-wrapped {done} of {total}…")

        try:
            with acting_as(Actor.system("rotate-master-key")):
                done = keys.rewrap_all(batch_size=options["batch_size"], progress=progress)
                if done:
                    record(
                        Event.MASTER_KEY_ROTATED,
                        data={"keys": done, "master_key_id": keys.current_master_key_id()},
                    )
        except keys.UnknownMasterKey as error:
            raise CommandError(str(error)) from None
        if done:
            self.stdout.write(
                f"re-wrapped {done} person keys under master key {keys.current_master_key_id()}"
            )
        else:
            self.stdout.write("nothing to do: every person key is under the current master key")
