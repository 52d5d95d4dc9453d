"""The purge engine: what each retention rule removes, in small batches, skipping held data.

Design and transaction boundaries:
- Each rule names its tables and the column its clock reads (TARGETS). Candidates are rows older
  than the rule's cutoff, minus rows of people under a legal hold, minus whole tables a category
  hold covers.
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

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Q

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.core.datamap import PersonalData
from goodskin.retention.backups import list_backups, prune_backups
from goodskin.retention.holds import held_people, holds_on_table
from goodskin.retention.models import CountedFrom, RetentionRule
from goodskin.tracking import partitions
from goodskin.tracking.actions import roll_up_days_of, roll_up_span
from goodskin.vault.actions import erase_person
from goodskin.vault.models import ErasureReason, Person
from goodskin.vault.registry import entries, person_linked


@dataclass(frozen=True)
class Target:
    label: str
    clock: str
    only: Q = field(default_factory=Q)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


TARGETS: dict[str, tuple[Target, ...]] = {
    "submission": (
        Target("submissions.ConsultationRequest", "created_at"),
        Target("submissions.ContactMessage", "created_at"),
    ),
    "consent": (Target("consent.ConsentRecord", "created_at"),),
    "outbox": (
        Target(
            "communications.Message",
            "created_at",
            Q(status__in=["sent", "failed", "suppressed", "cancelled"]),
        ),
    ),
    "notices": (Target("communications.Notice", "created_at"),),
    "analytics-events": (Target("tracking.PageEvent", "occurred_at"),),
    "session": (Target("sessions.Session", "expire_date"),),
    # The longest limit window is an hour: a counter an hour past its start counts nothing.
    "rate-limit-window": (Target("core.RateCounter", "window_started_at"),),
}
EXPIRY_GRACE = {"rate-limit-window": timedelta(hours=1)}
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
    return now - timedelta(days=rule.period_days) - EXPIRY_GRACE.get(rule.key, timedelta())


def _declaration(model: type[models.Model]) -> PersonalData | None:
    for entry in entries():
        if entry.model is model and isinstance(entry.declaration, PersonalData):
            return entry.declaration
    return None


def _candidates(rule: RetentionRule, target: Target, cutoff: datetime) -> models.QuerySet:  # type: ignore[type-arg]  # any model
    model = target.model
    rows = model._default_manager.filter(target.only, **{f"{target.clock}__lt": cutoff})
    declaration = _declaration(model)
    subject = declaration.subject if declaration else None
    if subject in {None, "self"}:
        return rows
    rows = rows.exclude(**{f"{subject}__in": held_people().values("person_id")})
    if rule.counted_from == CountedFrom.LAST_ACTIVITY:
        # Everything of the rule goes together, once the person's newest row is old enough.
        for other in TARGETS[rule.key]:
            recent = other.model._default_manager.filter(**{f"{other.clock}__gte": cutoff})
            rows = rows.exclude(**{f"{subject}__in": recent.values(subject)})
    return rows


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
    declaration = _declaration(target.model)
    holding = list(holds_on_table(declaration).values_list("pk", flat=True)) if declaration else []
    if holding:
        report.held[target.label] = holding
        return
    if dry_run:
        report.counts[target.label] = _candidates(rule, target, cutoff).count()
        return
    done = 0
    subject = declaration.subject if declaration else None
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
    if rule.key == "backups":
        if dry_run:
            report.counts["backup files"] = sum(b.created < cutoff for b in list_backups())
        else:
            report.counts["backup files"] = len(prune_backups(older_than=cutoff))
        return report
    if rule.key == "person":
        _purge_people(
            rule, cutoff, report, dry_run=dry_run, batch_size=batch_size, progress=progress
        )
        return report
    if rule.key == "analytics-events":
        _drop_expired_months(rule, cutoff, report, dry_run=dry_run)
    for target in TARGETS.get(rule.key, ()):
        _purge_target(
            rule, target, cutoff, report, dry_run=dry_run, batch_size=batch_size, progress=progress
        )
    return report
