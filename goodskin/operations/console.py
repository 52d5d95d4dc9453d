"""The periodic jobs: what each does, when it last ran and how that ended, and when it runs next."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from goodskin.core.console import console_page
from goodskin.core.doors import staff_door
from goodskin.operations.queries import job_board


@staff_door("operations.view_jobs")
def jobs(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return console_page(request, "operations/console/jobs.html", "Periodic jobs", **job_board(now))
