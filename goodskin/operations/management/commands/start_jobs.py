from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from goodskin.operations.jobs import JOBS
from goodskin.operations.tasks import book_ticker


class Command(BaseCommand):
    capability = "operations.view_jobs"
    help = (
        "Book the ticker that runs every periodic job (goodskin/operations/jobs.py) in the task "
        "workers, if it is not booked yet, and list the jobs with their next run."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        booked = book_ticker()
        self.stdout.write("jobs: ticker booked" if booked else "jobs: ticker already booked")
        now = timezone.now()
        for job in JOBS:
            when = timezone.localtime(job.next_slot(now)).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"  {job.name}: next {when} ({job.command})")
