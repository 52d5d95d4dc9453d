from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from goodskin.vault.export import FORMATS


class Command(BaseCommand):
    capability = None  # reads only: changes nothing
    help = (
        "Export the data map: every field that can hold personal data, with its fideslang data "
        "category, data uses, legal basis, retention and recipients. `fideslang` writes a Fides "
        "dataset and system (YAML) that `fides push` accepts."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--format", choices=sorted(FORMATS), default="fideslang")
        parser.add_argument("--output", type=Path, help="Write to this file instead of stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = FORMATS[options["format"]]()
        if options["output"]:
            options["output"].write_text(text)
            self.stderr.write(f"wrote the data map to {options['output']}")
        else:
            self.stdout.write(text, ending="")
