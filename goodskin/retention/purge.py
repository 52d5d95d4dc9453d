"""The purge engine: what each retention rule removes, in small batches, skipping held data.

Design and transaction boundaries:
- Each table declares its retention name and the column its clock reads beside its model
  (`PersonalData.retention_clock`); `targets(key)` reads them from the registry. Candidates are
  rows older than the rule's cutoff, minus rows of people under a legal hold, minus whole tables
  a category hold covers.
- Every batch is one short transaction: select up to `batch_size` ids in key order, delete (or
  erase the person), and write one audit summary. A crash loses at most the batch in flight, which
  the next run simply finds again; nothing is done twice because a deleted row is no candidate.
- Between batches the engine pauses briefly (PAUSE), so the site's own writes, which queue for the
  same lock (SQLite has one writer), get in between batches instead of waiting for the whole run.
- A dry run computes the same candidates and only counts them.
- Analytics events are rolled up into daily totals before their raw rows go (aggregate).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection, models, transaction
from django.db.models import Min, Q

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.core.datamap import PersonalData
from goodskin.core.schedule import BY_KEY, CountedFrom, Removal
from goodskin.retention.backups import list_backups, prune_backups
from goodskin.retention.holds import held_people, holds_on_table
from goodskin.retention.models import RetentionRule
from goodskin.tracking import partitions
from goodskin.tracking.actions import roll_up_days_of, roll_up_span
from goodskin.vault.actions import erase_person
from goodskin.vault.models import ErasureReason, Person
from goodskin.vault.registry import entries, person_linked


@dataclass(frozen=True)
class Target:
    """One table a rule removes rows from, as its declaration says."""

    model: type[models.Model]
    declaration: PersonalData

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def clock(self) -> str:
        assert self.declaration.retention_clock is not None
        return self.declaration.retention_clock

    @property
    def only(self) -> Q:
        return Q(**self.declaration.retention_only)


def targets(key: str) -> tuple[Target, ...]:
    """The tables whose declarations give `key` a clock (the retention checks require one for
    every name removed by age, and none for the others)."""
    return tuple(
        Target(entry.model, entry.declaration)
        for entry in entries()
        if isinstance(entry.declaration, PersonalData)
        and entry.declaration.retention == key
        and entry.declaration.retention_clock is not None
    )


PAUSE = 0.01  # seconds between batches


@dataclass
class RuleReport:
    rule: str
    cutoff: datetime | None
    counts: dict[str, int] = field(default_factory=dict)
    held: dict[str, list[int]] = field(default_factory=dict)
    batches: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def cutoff_for(rule: RetentionRule, now: datetime) -> datetime | None:
    if rule.period_days is None or rule.counted_from == CountedFrom.ACCOUNT_CLOSURE:
        return None  # no age limit, or handled at the moment the account closes
    schedule = BY_KEY.get(rule.key)
    grace = schedule.grace if schedule is not None else timedelta()
    return now - timedelta(days=rule.period_days) - grace


def _candidates(rule: RetentionRule, target: Target, cutoff: datetime) -> models.QuerySet:  # type: ignore[type-arg]  # any model
    model = target.model
    rows = model._default_manager.filter(target.only, **{f"{target.clock}__lt": cutoff})
    subject = target.declaration.subject
    if subject in {None, "self"}:
        return rows
    rows = rows.exclude(**{f"{subject}__in": held_people().values("person_id")})
    if rule.counted_from == CountedFrom.LAST_ACTIVITY:
        # Everything of the rule goes together, once the person's newest row is old enough.
        for other in targets(rule.key):
            recent = other.model._default_manager.filter(**{f"{other.clock}__gte": cutoff})
            rows = rows.exclude(**{f"{subject}__in": recent.values(subject)})
    return rows


def purge_lag(rule: RetentionRule, now: datetime) -> timedelta:
    """How long the oldest row this rule should already have removed has been waiting (zero
    when nothing is overdue): what the nightly run has yet to catch up on."""
    cutoff = cutoff_for(rule, now)
    if cutoff is None:
        return timedelta()
    oldest = [
        found
        for target in targets(rule.key)
        if (found := _candidates(rule, target, cutoff).aggregate(first=Min(target.clock))["first"])
    ]
    return cutoff - min(oldest) if oldest else timedelta()


def _before_delete(rule: RetentionRule, ids: list[int]) -> None:
    if rule.key == "analytics-events":
        roll_up_days_of(event_ids=ids)


def _drop_expired_months(
    rule: RetentionRule, cutoff: datetime, report: RuleReport, *, dry_run: bool
) -> None:
    """PostgreSQL: whole months of raw analytics older than the cutoff go by dropping their
    partition, after their days are rolled up; whatever is left is deleted in batches."""

    if not partitions.supported():
        return
    partitions.ensure_partitions(today=cutoff.date() + timedelta(days=rule.period_days or 0))
    for partition in partitions.monthly_partitions():
        month_end = partitions.add_months(partition.month, 1)
        if datetime(month_end.year, month_end.month, 1, tzinfo=UTC) > cutoff:
            continue
        label = f"partition {partition.name}"
        if dry_run:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COUNT(*) FROM "{partition.name}"')  # noqa: S608  (ours)
                report.counts[label] = cursor.fetchone()[0]
            continue
        with transaction.atomic():
            for day in partitions.local_days(partition):
                roll_up_span(first=day, last=day)
            rows = partitions.drop_partition(partition)
            record(
                Event.RETENTION_BATCH,
                data={
                    "rule": rule.key,
                    "table": partition.name,
                    "rows": rows,
                    "cutoff": cutoff.date().isoformat(),
                },
            )
        report.counts[label] = rows
        report.batches += 1


def _purge_target(
    rule: RetentionRule,
    target: Target,
    cutoff: datetime,
    report: RuleReport,
    *,
    dry_run: bool,
    batch_size: int,
    progress: Callable[[str], None],
) -> None:
    declaration = target.declaration
    holding = list(holds_on_table(declaration).values_list("pk", flat=True))
    if holding:
        report.held[target.label] = holding
        return
    if dry_run:
        report.counts[target.label] = _candidates(rule, target, cutoff).count()
        return
    done = 0
    subject = declaration.subject
    while True:
        # Find the batch outside the write transaction: the search may read millions of rows,
        # and reading takes no lock, so the site's writes only wait for the short delete.
        ids = list(
            _candidates(rule, target, cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        with transaction.atomic():
            chosen = target.model._default_manager.filter(
                pk__in=ids, **{f"{target.clock}__lt": cutoff}
            )
            if subject not in {None, "self"}:
                # A hold placed since the search still wins.
                chosen = chosen.exclude(**{f"{subject}__in": held_people().values("person_id")})
            if connection.features.has_select_for_update_skip_locked:
                # Another worker purging the same rule has these rows in hand: leave them to it,
                # or both would count them and the audit trail would say twice as much went.
                chosen = chosen.select_for_update(skip_locked=True)
            ids = list(chosen.values_list("pk", flat=True))
            if not ids:
                time.sleep(PAUSE)  # the batch is another worker's; look again once it is done
                continue
            _before_delete(rule, ids)
            _, per_model = target.model._default_manager.filter(pk__in=ids).delete()
            removed = per_model.get(target.model._meta.label, 0)
            record(
                Event.RETENTION_BATCH,
                data={
                    "rule": rule.key,
                    "table": target.label.lower(),
                    "rows": removed,
                    "cutoff": cutoff.date().isoformat(),
                },
            )
        done += removed
        report.batches += 1
        progress(f"{rule.key}: {target.label}: {done} removed")
        time.sleep(PAUSE)
    report.counts[target.label] = done


def _forgotten_people(cutoff: datetime) -> models.QuerySet[Person]:
    """People with no account and nothing left that the data map keeps for its own sake (only
    their message preferences, perhaps), first recorded before the cutoff, and under no hold."""
    people = Person.objects.filter(erased_at__isnull=True, created_at__lt=cutoff).exclude(
        pk__in=held_people().values("person_id")
    )
    for model, declaration in person_linked():
        if declaration.retention in {"preferences", "person", "hold"}:
            continue
        people = people.exclude(pk__in=model._default_manager.values(declaration.subject or "pk"))
    return people


def _purge_people(
    rule: RetentionRule,
    cutoff: datetime,
    report: RuleReport,
    *,
    dry_run: bool,
    batch_size: int,
    progress: Callable[[str], None],
) -> None:
    if dry_run:
        report.counts["vault.Person"] = _forgotten_people(cutoff).count()
        return
    done = 0
    while True:
        batch = list(_forgotten_people(cutoff).order_by("pk")[:batch_size])
        if not batch:
            break
        for person in batch:
            erase_person(person=person, reason=ErasureReason.RETENTION)
        with transaction.atomic():
            record(
                Event.RETENTION_BATCH,
                data={
                    "rule": rule.key,
                    "table": "vault.person",
                    "rows": len(batch),
                    "cutoff": cutoff.date().isoformat(),
                },
            )
        done += len(batch)
        report.batches += 1
        progress(f"person: {done} people with nothing left erased")
        time.sleep(PAUSE)
    report.counts["vault.Person"] = done


def apply_rule(
    rule: RetentionRule,
    *,
    now: datetime,
    dry_run: bool,
    batch_size: int = 500,
    progress: Callable[[str], None] = lambda line: None,
) -> RuleReport:
    cutoff = cutoff_for(rule, now)
    report = RuleReport(rule=rule.key, cutoff=cutoff)
    if cutoff is None:
        return report
    removal = BY_KEY[rule.key].removal if rule.key in BY_KEY else None
    if removal == Removal.BACKUP_FILES:
        if dry_run:
            report.counts["backup files"] = sum(b.created < cutoff for b in list_backups())
        else:
            report.counts["backup files"] = len(prune_backups(older_than=cutoff))
        return report
    if removal == Removal.PEOPLE:
        _purge_people(
            rule, cutoff, report, dry_run=dry_run, batch_size=batch_size, progress=progress
        )
        return report
    if rule.key == "analytics-events":
        _drop_expired_months(rule, cutoff, report, dry_run=dry_run)
    for target in targets(rule.key):
        _purge_target(
            rule, target, cutoff, report, dry_run=dry_run, batch_size=batch_size, progress=progress
        )
    return report
