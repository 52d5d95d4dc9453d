"""Reading policy versions: which one governs a person at a moment, for one person or everyone."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet

from goodskin.accounts.models import User
from goodskin.policies.in_force import (
    Account,
    Published,
    Told,
    after_notice_period,
    in_force,
    notice_effective_at,
)
from goodskin.policies.models import PolicyNotice, PolicyVersion, VersionStatus
from goodskin.vault.models import Person
from goodskin.website.queries import notices_version


def published_versions(document: str) -> list[PolicyVersion]:
    return list(
        PolicyVersion.objects.filter(document=document, status=VersionStatus.PUBLISHED).order_by(
            "number"
        )
    )


def _facts(versions: list[PolicyVersion]) -> list[Published]:
    return [
        Published(v.number or 0, bool(v.material), v.announced_at or v.published_at)  # type: ignore[arg-type]  # published versions have both
        for v in versions
    ]


def _account(person_id: int) -> Account | None:
    row = User.objects.filter(person_id=person_id).values_list("date_joined", "closed_at").first()
    return Account(*row) if row else None


def _told(
    emailed_at: datetime | None,
    sent_at: datetime | None,
    seen_at: datetime | None,
    accepted_at: datetime | None,
) -> Told:
    return Told(
        notice_effective_at(
            emailed_at=emailed_at or sent_at, seen_at=seen_at, accepted_at=accepted_at
        ),
        accepted_at,
    )


def _notices(person_id: int, document: str) -> dict[int, Told]:
    rows = PolicyNotice.objects.filter(person_id=person_id, version__document=document).values_list(
        "version__number", "emailed_at", "message__sent_at", "seen_at", "accepted_at"
    )
    return {number or 0: _told(*times) for number, *times in rows}


@dataclass(frozen=True)
class Governing:
    version: PolicyVersion | None  # None before the first version was posted
    upcoming: PolicyVersion | None  # a published version that does not govern them yet


def governing(*, person: Person | None, at: datetime, document: str = "privacy") -> Governing:
    """The version that governs `person` (None: an anonymous visitor) at `at`, and the next one
    waiting for them, if any has been announced by then."""
    versions = [v for v in published_versions(document) if (v.published_at or at) <= at]
    if not versions:
        return Governing(None, None)
    number = in_force(
        _facts(versions),
        at=at,
        notices=_notices(person.pk, document) if person is not None else {},
        account=_account(person.pk) if person is not None else None,
    )
    by_number = {v.number: v for v in versions}
    current = by_number.get(number) if number is not None else None
    newer = [
        v for v in versions if (v.number or 0) > (number or 0) and (v.announced_at or at) <= at
    ]
    return Governing(current, newer[-1] if newer else None)


def version_in_force(
    *, person: Person | None, at: datetime, document: str = "privacy"
) -> PolicyVersion | None:
    """Which version governed the person at that moment: the one a dispute is decided under."""
    return governing(person=person, at=at, document=document).version


def versions_in_force(*, at: datetime, document: str = "privacy") -> dict[int, int | None]:
    """Every person's governing version number at `at`, in one pass: a few queries, then the
    same rule as `version_in_force`. People in the same situation share one evaluation."""

    versions = [v for v in published_versions(document) if (v.published_at or at) <= at]
    facts = _facts(versions)
    accounts = {
        person_id: Account(opened, closed)
        for person_id, opened, closed in User.objects.values_list(
            "person_id", "date_joined", "closed_at"
        ).iterator(chunk_size=20_000)
    }
    notices: dict[int, dict[int, Told]] = defaultdict(dict)
    for person_id, number, *times in (
        PolicyNotice.objects.filter(version__document=document)
        .values_list(
            "person_id",
            "version__number",
            "emailed_at",
            "message__sent_at",
            "seen_at",
            "accepted_at",
        )
        .iterator(chunk_size=20_000)
    ):
        notices[person_id][number or 0] = _told(*times)
    answers: dict[object, int | None] = {}
    result: dict[int, int | None] = {}
    for person_id in Person.objects.values_list("pk", flat=True).iterator(chunk_size=50_000):
        account = accounts.get(person_id)
        told = notices.get(person_id, {})
        key = (account, tuple(sorted(told.items())))
        if key not in answers:
            answers[key] = in_force(facts, at=at, notices=told, account=account)
        result[person_id] = answers[key]
    return result


@dataclass(frozen=True)
class NoticeProgress:
    version: PolicyVersion
    total: int
    queued: int
    emailed: int
    seen: int
    accepted: int
    in_force_for_all_told: datetime
    started: bool  # the first batch of notices has been queued
    expected: int  # account holders to be told, counted now while it has not started

    @property
    def percent_queued(self) -> int:
        if not self.started:
            return 0
        return round(100 * self.queued / self.total) if self.total else 100

    @property
    def acceptance_rate(self) -> float:
        return round(100 * self.accepted / self.total, 1) if self.total else 0.0


def notice_progress(*, now: datetime) -> list[NoticeProgress]:
    """Material versions whose notice period has not ended (or whose notices are still going
    out), with counts the officer compares: queued, emailed, seen on the site, accepted."""

    pending = []
    for version in PolicyVersion.objects.filter(material=True, status=VersionStatus.PUBLISHED):
        assert version.announced_at is not None
        ends = after_notice_period(version.announced_at)
        done = version.notices_total and version.notices_done >= version.notices_total
        if ends < now and done:
            continue
        counts = PolicyNotice.objects.filter(version=version).aggregate(
            queued=Count("pk", filter=Q(message__isnull=False)),
            emailed=Count(
                "pk", filter=Q(emailed_at__isnull=False) | Q(message__sent_at__isnull=False)
            ),
            seen=Count("pk", filter=Q(seen_at__isnull=False)),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        )
        started = bool(version.announcement_cursor or version.notices_done)
        expected = (
            version.notices_total if started else account_holders(version.announced_at).count()
        )
        pending.append(
            NoticeProgress(
                version=version,
                started=started,
                expected=expected,
                total=version.notices_total,
                queued=counts["queued"],
                emailed=counts["emailed"],
                seen=counts["seen"],
                accepted=counts["accepted"],
                in_force_for_all_told=ends,
            )
        )
    return pending


def latest_published(document: str) -> PolicyVersion | None:
    return (
        PolicyVersion.objects.filter(document=document, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def account_holders(at: datetime) -> QuerySet[User]:
    """People who held an open account at `at`: each is told of a material change personally.
    Staff accounts are the clinic's own workforce, not people the policy is about: they are not
    told (they read it in the console, where one of them published it and another approved)."""
    return (
        User.objects.filter(date_joined__lte=at, is_staff=False)
        .exclude(closed_at__lte=at)
        .order_by("person_id")
    )


# Kept under a version key that changes with every edit: the time limit only frees memory.
KEPT_FOR_SECONDS = 24 * 60 * 60
_ANY_ANNOUNCED = (
    f"SELECT 1 FROM {PolicyVersion._meta.db_table} "  # noqa: S608  (the table name is ours)
    "WHERE status = %s AND material = %s AND announced_at <= %s AND announced_at >= %s LIMIT 1"
)


def material_versions_announced(*, since: datetime, until: datetime) -> bool:
    """Whether any material version was announced in the window: asked on every page, almost
    always no. The times material versions were announced are kept under the site's notices
    version (moved by a trigger on every change to policy versions), so a page reads nothing
    more; where that version is missing, one plain statement asks the table."""
    version = notices_version()
    if version is None:
        return _announced_in_table(since=since, until=until)
    key = f"policies:announced:{version}"
    times: list[datetime] | None = cache.get(key)
    if times is None:
        times = [
            moment
            for moment in PolicyVersion.objects.filter(
                status=VersionStatus.PUBLISHED, material=True, announced_at__isnull=False
            ).values_list("announced_at", flat=True)
            if moment is not None  # filtered above; for the types
        ]
        cache.set(key, times, timeout=KEPT_FOR_SECONDS)
    return any(since <= moment <= until for moment in times)


def _announced_in_table(*, since: datetime, until: datetime) -> bool:
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _ANY_ANNOUNCED, [VersionStatus.PUBLISHED.value, True, adapt(until), adapt(since)]
        )
        return cursor.fetchone() is not None
