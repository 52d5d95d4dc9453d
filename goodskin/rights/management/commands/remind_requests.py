from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from goodskin.core.context import Actor, acting_as
from goodskin.rights.actions import remind_staff


class Command(BaseCommand):
    help = (
        "Email the privacy officer the open requests that are overdue or due within seven days "
        "(at most once a day). Run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(Actor.system("rights")):
            listed = remind_staff(today=timezone.localdate())
        self.stdout.write(f"{listed} request(s) due soon or overdue" if listed else "nothing due")
