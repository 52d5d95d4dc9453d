from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from goodskin.core.context import Actor, acting_as
from goodskin.rights.actions.deletion import resume_deletions
from goodskin.rights.actions.reminders import close_unverified, remind_staff


class Command(BaseCommand):
    # The capability of the staff an operator stands in for when running it (core/doors.py).
    capability = "rights.view_requests"
    help = (
        "Finish any deletion a crash left half done, close requests never verified by their due "
        "date (telling the person, and treating a deletion as an opt-out), then email the privacy "
        "officer what is overdue or due within seven days. Run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(Actor.system("rights")):
            finished = resume_deletions(today=timezone.localdate())
            closed = close_unverified(today=timezone.localdate())
            listed = remind_staff(today=timezone.localdate())
        if finished:
            self.stdout.write(f"{finished} interrupted deletion(s) finished and the person told")
        if closed:
            self.stdout.write(f"{closed} unverified request(s) closed and the person told why")
        self.stdout.write(f"{listed} request(s) due soon or overdue" if listed else "nothing due")
