"""What the analytics dashboard shows. Closed days are read from daily summaries (rolled up each
night by `roll_up_day`); today, and any day not yet rolled up, are computed from the raw events,
so the numbers are always complete and a year of data reads a few hundred rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from goodskin.consent.models import ConsentRecord, Source
from goodskin.tracking.models import DailySummary, Dimension, EventKind, PageEvent

CONSULTATION = "/consultation/"
FUNNEL_STEPS = [
    ("visited", "Visited the site"),
    ("clicked", "Clicked “Book a consultation”"),
    ("opened", "Opened the consultation form"),
    ("started", "Started filling it in"),
    ("sent", "Sent it"),
]


@dataclass(frozen=True)
class Total:
    dimension: str
    value: str
    views: int
    visitors: int


@dataclass(frozen=True)
class Day:
    day: date
    views: int
    visitors: int


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _events(day: date) -> QuerySet[PageEvent]:
    low, high = bounds(day, day)
    return PageEvent.objects.filter(occurred_at__gte=low, occurred_at__lt=high)


def compute_day(day: date) -> list[Total]:
    """Every total for one day, from the raw events (each query uses the time index)."""
    events = _events(day)
    views = events.filter(kind=EventKind.PAGE_VIEW)
    totals = []
    site = views.aggregate(views=Count("id"), visitors=Count("visitor", distinct=True))
    # The site row is kept even for a quiet day: it marks the day as rolled up.
    totals.append(Total(Dimension.SITE, "", site["views"], site["visitors"]))
    for dimension, field in (
        (Dimension.PATH, "path"),
        (Dimension.REFERRER, "referrer_host"),
        (Dimension.DEVICE, "device"),
    ):
        rows = (
            views.exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("id"), v=Count("visitor", distinct=True))
        )
        totals.extend(Total(dimension, row[field], row["n"], row["v"]) for row in rows)
    funnel = events.aggregate(
        visited=Count("visitor", filter=Q(kind=EventKind.PAGE_VIEW), distinct=True),
        clicked=Count("visitor", filter=Q(kind=EventKind.BOOK_CLICK), distinct=True),
        opened=Count(
            "visitor", filter=Q(kind=EventKind.PAGE_VIEW, path=CONSULTATION), distinct=True
        ),
        started=Count(
            "visitor", filter=Q(kind=EventKind.FORM_START, path=CONSULTATION), distinct=True
        ),
        sent=Count(
            "visitor", filter=Q(kind=EventKind.FORM_SUBMIT, path=CONSULTATION), distinct=True
        ),
    )
    totals.extend(
        Total(Dimension.FUNNEL, step, funnel[step], funnel[step])
        for step, _ in FUNNEL_STEPS
        if funnel[step]
    )
    return totals


def totals(start: date, end: date, *, today: date) -> list[tuple[date, Total]]:
    """Per-day totals over the range: summaries for rolled-up days, raw events for the rest."""
    stored: dict[date, list[Total]] = defaultdict(list)
    for row in DailySummary.objects.filter(
        day__gte=start, day__lte=min(end, today - timedelta(days=1))
    ):
        stored[row.day].append(Total(row.dimension, row.value, row.views, row.visitors))
    rolled_up = set(stored)
    found: list[tuple[date, Total]] = []
    current = start
    while current <= end:
        day_totals = stored[current] if current in rolled_up else compute_day(current)
        found.extend((current, total) for total in day_totals)
        current += timedelta(days=1)
    return found


def daily(rows: list[tuple[date, Total]], start: date, end: date) -> list[Day]:
    site = {day: total for day, total in rows if total.dimension == Dimension.SITE}
    days, current = [], start
    while current <= end:
        total = site.get(current)
        days.append(Day(current, total.views if total else 0, total.visitors if total else 0))
        current += timedelta(days=1)
    return days


def top(
    rows: list[tuple[date, Total]], dimension: str, *, limit: int = 10
) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for _, total in rows:
        if total.dimension == dimension:
            counts[total.value] += total.views
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def funnel(rows: list[tuple[date, Total]]) -> list[tuple[str, int]]:
    """Visitor-days at each step from a visit to a sent consultation request."""
    counts: dict[str, int] = defaultdict(int)
    for _, total in rows:
        if total.dimension == Dimension.FUNNEL:
            counts[total.value] += total.visitors
    return [(label, counts[step]) for step, label in FUNNEL_STEPS]


def consent_rates(start: date, end: date) -> list[tuple[str, int]]:
    low, high = bounds(start, end)
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
