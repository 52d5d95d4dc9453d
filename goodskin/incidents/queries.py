"""Reads for incidents: how long law enforcement has paused the clocks, each state's clock, what a
notice says, and the one running delay staff may end."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from goodskin.incidents.models import AffectedPerson, Incident, LawEnforcementDelay
from goodskin.jurisdictions.deadlines import BreachClocks, breach_clocks
from goodskin.website.queries import notices_version

ORAL_DELAY_LIMIT = timedelta(days=30)  # 45 CFR 164.412(b): an oral request lasts 30 days at most


def paused(incident: Incident, *, now: datetime | None = None) -> timedelta:
    """How long law enforcement has held the notices (oral requests count 30 days at most)."""
    now = now or timezone.now()
    total = timedelta()
    for delay in incident.delays.all():
        held = (delay.ended_at or now) - delay.started_at
        if not delay.in_writing:
            held = min(held, ORAL_DELAY_LIMIT)
        total += max(held, timedelta())
    return total


def delay_active(incident: Incident, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    for delay in incident.delays.filter(ended_at__isnull=True):
        if delay.in_writing or now - delay.started_at < ORAL_DELAY_LIMIT:
            return True
    return False


def clocks_for(incident: Incident, *, now: datetime | None = None) -> BreachClocks:
    rows = AffectedPerson.objects.filter(incident=incident).values_list("state", "phi")
    residents: Counter[str] = Counter()
    phi: Counter[str] = Counter()
    for state, has_phi in rows.iterator(chunk_size=20_000):
        residents[state] += 1
        phi[state] += int(has_phi)
    return breach_clocks(
        discovered_at=incident.discovered_at,
        residents=residents,
        phi_residents=phi,
        paused=paused(incident, now=now),
    )


def notice_words(incident: Incident) -> dict[str, Any]:
    """What a notice says, for the email and the website posting alike: only what staff recorded
    and what the assessment found. Rendered in the reader's language by the template."""
    return {
        "incident": incident,
        "delayed": incident.delays.exists(),
        # Data-map keys: the templates name them in the reader's language (`category`).
        "involved": list(incident.exposed_categories),
        "sealed": list(incident.sealed_categories),
    }


def running_delay(incident: Incident, delay_id: str) -> LawEnforcementDelay | None:
    """The incident's delay with that id, if it is still running (None for any other id)."""
    if not delay_id.isdigit():
        return None
    return incident.delays.filter(pk=int(delay_id), ended_at__isnull=True).first()


# Kept under a version key that changes with every edit: the time limit only frees memory.
KEPT_FOR_SECONDS = 24 * 60 * 60
_ANY_POSTED = (
    f"SELECT 1 FROM {Incident._meta.db_table} "  # noqa: S608  (the table name is ours)
    "WHERE posted_at <= %s AND posted_until > %s LIMIT 1"
)


def breach_notices_posted(*, now: datetime) -> list[Incident]:
    """Incidents whose substitute notice is up now. Every public page asks, and almost always
    the answer is none. The posting windows are kept under the site's notices version (moved by
    a trigger on every change to incidents), so a page reads nothing more unless a window is
    open now; where that version is missing, one plain statement asks the table."""
    version = notices_version()
    if version is None:
        at = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute(_ANY_POSTED, [at, at])
            if cursor.fetchone() is None:
                return []
    else:
        key = f"incidents:posted:{version}"
        windows: list[tuple[datetime, datetime]] | None = cache.get(key)
        if windows is None:
            windows = [
                (start, end)
                for start, end in Incident.objects.filter(
                    posted_at__isnull=False, posted_until__isnull=False
                ).values_list("posted_at", "posted_until")
                if start is not None and end is not None  # filtered above; for the types
            ]
            cache.set(key, windows, timeout=KEPT_FOR_SECONDS)
        if not any(start <= now < end for start, end in windows):
            return []
    return list(
        Incident.objects.filter(posted_at__lte=now, posted_until__gt=now).order_by("-posted_at")
    )
