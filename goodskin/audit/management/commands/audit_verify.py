from typing import Any

from django.core.management.base import BaseCommand, CommandError

from goodskin.audit.verify import verify_chain


class Command(BaseCommand):
    capability = None  # reads only: changes nothing
    help = (
        "Walk the audit log's hash chain. Exits 0 when every entry is intact, "
        "otherwise exits 1 naming the first entry that was changed, removed or reordered."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(count: int) -> None:
            self.stderr.write(f"checked {count} entries…")

        checked, broken = verify_chain(progress=progress if options["verbosity"] > 1 else None)
        if broken is not None:
            raise CommandError(
                f"audit chain broken at entry #{broken.sequence}: {broken.reason} "
                f"({checked} entries before it are intact)",
                returncode=1,
            )
        self.stdout.write(f"audit chain intact: {checked} entries")
