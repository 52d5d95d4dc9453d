from __future__ import annotations

from datetime import date, timedelta

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from goodskin.core.doors import staff_door
from goodskin.tracking import queries
from goodskin.tracking.charts import daily_chart, share_bars
from goodskin.tracking.models import Dimension

LONGEST_RANGE = timedelta(days=400)


def _range(request: HttpRequest) -> tuple[date, date] | str:
    today = timezone.localdate()
    try:
        end = date.fromisoformat(request.GET.get("end") or today.isoformat())
        start = date.fromisoformat(
            request.GET.get("start") or (end - timedelta(days=29)).isoformat()
        )
    except ValueError:
        return "Dates must look like 2026-11-29."
    if start > end:
        return "The start date must be on or before the end date."
    if end - start > LONGEST_RANGE:
        return "Choose a range of at most 400 days."
    return start, end


@staff_door("tracking.view_analytics")
def dashboard(request: HttpRequest) -> HttpResponse:
    chosen = _range(request)
    context = {**admin.site.each_context(request), "title": "Site analytics"}
    if isinstance(chosen, str):
        return render(request, "tracking/dashboard.html", {**context, "error": chosen}, status=400)
    start, end = chosen
    rows = queries.totals(start, end, today=timezone.localdate())
    days = queries.daily(rows, start, end)
    return render(
        request,
        "tracking/dashboard.html",
        {
            **context,
            "start": start,
            "end": end,
            "days": days,
            "chart": daily_chart(days),
            "total_views": sum(day.views for day in days),
            "total_visitors": sum(day.visitors for day in days),
            "pages": share_bars(queries.top(rows, Dimension.PATH)),
            "referrers": share_bars(queries.top(rows, Dimension.REFERRER)),
            "devices": share_bars(queries.top(rows, Dimension.DEVICE)),
            "funnel": share_bars(queries.funnel(rows)),
            "consent": share_bars(queries.consent_rates(start, end)),
        },
    )
