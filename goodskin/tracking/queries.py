"""What the analytics dashboard shows, as aggregate queries over a date range (local days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from goodskin.consent.models import ConsentRecord, Source
from goodskin.tracking.models import EventKind, PageEvent


@dataclass(frozen=True)
class Day:
    day: date
    views: int
    visitors: int


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _events(start: date, end: date) -> QuerySet[PageEvent]:
    low, high = _bounds(start, end)
    return PageEvent.objects.filter(occurred_at__gte=low, occurred_at__lt=high)


def daily(start: date, end: date) -> list[Day]:
    rows = (
        _events(start, end)
        .filter(kind=EventKind.PAGE_VIEW)
        .annotate(day=TruncDate("occurred_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("day")
        .annotate(views=Count("id"), visitors=Count("visitor", distinct=True))
        .order_by("day")
    )
    found = {row["day"]: row for row in rows}
    days = []
    current = start
    while current <= end:
        row = found.get(current)
        days.append(Day(current, row["views"] if row else 0, row["visitors"] if row else 0))
        current += timedelta(days=1)
    return days


def top(start: date, end: date, field: str, *, limit: int = 10) -> list[tuple[str, int]]:
    rows = (
        _events(start, end)
        .filter(kind=EventKind.PAGE_VIEW)
        .exclude(**{field: ""})
        .values(field)
        .annotate(count=Count("id"))
        .order_by("-count", field)[:limit]
    )
    return [(row[field], row["count"]) for row in rows]


def funnel(start: date, end: date) -> list[tuple[str, int]]:
    """Distinct visitors at each step from a visit to a sent consultation request."""
    events = _events(start, end)
    consultation = "/consultation/"
    counts = events.aggregate(
        visited=Count("visitor", filter=Q(kind=EventKind.PAGE_VIEW), distinct=True),
        clicked=Count("visitor", filter=Q(kind=EventKind.BOOK_CLICK), distinct=True),
        opened=Count(
            "visitor", filter=Q(kind=EventKind.PAGE_VIEW, path=consultation), distinct=True
        ),
        started=Count(
            "visitor", filter=Q(kind=EventKind.FORM_START, path=consultation), distinct=True
        ),
        sent=Count(
            "visitor", filter=Q(kind=EventKind.FORM_SUBMIT, path=consultation), distinct=True
        ),
    )
    return [
        ("Visited the site", counts["visited"]),
        ("Clicked “Book a consultation”", counts["clicked"]),
        ("Opened the consultation form", counts["opened"]),
        ("Started filling it in", counts["started"]),
        ("Sent it", counts["sent"]),
    ]


def consent_rates(start: date, end: date) -> list[tuple[str, int]]:
    low, high = _bounds(start, end)
    records = ConsentRecord.objects.filter(created_at__gte=low, created_at__lt=high)
    counts = records.aggregate(
        accepted=Count("id", filter=Q(source=Source.BANNER, marketing=True, analytics=True)),
        rejected=Count("id", filter=Q(source=Source.BANNER, analytics=False)),
        custom=Count("id", filter=Q(source=Source.CHOICES_PAGE)),
        gpc=Count("id", filter=Q(source=Source.GPC)),
    )
    return [
        ("Accepted all", counts["accepted"]),
        ("Rejected all", counts["rejected"]),
        ("Chose their own", counts["custom"]),
        ("Global Privacy Control", counts["gpc"]),
    ]
