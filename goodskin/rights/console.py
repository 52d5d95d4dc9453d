"""The staff queue of privacy requests, soonest deadline first, with what is overdue."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from goodskin.rights import queries


@staff_member_required
def queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "rights/console/queue.html",
        {
            **admin.site.each_context(request),
            "title": "Privacy requests",
            "today": today,
            "requests": queries.open_queue()[:500],
            "summary": queries.queue_summary(today=today),
        },
    )
