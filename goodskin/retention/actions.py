"""Every change to retention rules and legal holds, erasure that respects holds, and the purge run.

Keyword-only, atomic, audited. Permission checks (privacy officer) are the caller's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from goodskin.approvals.actions import consume
from goodskin.approvals.models import Approval
from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions.outbox import queue_essential_email
from goodskin.core.schedule import SCHEDULE
from goodskin.jurisdictions.retention_floors import shorter_than_floor
from goodskin.retention.backups import BackupFile, create_backup, restore_backup
from goodskin.retention.holds import due_for_review, holds_on_person
from goodskin.retention.models import HeldPerson, HoldReason, LegalHold, RetentionRule
from goodskin.retention.purge import RuleReport, apply_rule
from goodskin.vault.actions import ErasureReport, erase_person, person_for_email, reapply_erasures
from goodskin.vault.models import ErasureReason, Person


class RuleTooShort(ValueError):
    """The proposed period is shorter than a legal floor in jurisdictions/retention_floors.py."""


@transaction.atomic
def ensure_rules() -> int:
    """Create any default rule that has no row yet; never changes an existing one."""
    created = 0
    for spec in SCHEDULE:
        _, made = RetentionRule.objects.get_or_create(
            key=spec.key,
            defaults={
                "period_days": spec.period_days,
                "counted_from": spec.counted_from,
                "outcome": spec.outcome,
            },
        )
        created += made
    return created


@transaction.atomic
def change_rule(
    *, rule: RetentionRule, period_days: int | None, counted_from: str, outcome: str
) -> list[str]:
    floor = shorter_than_floor(rule.key, period_days)
    if floor is not None:
        limit = "kept with no end date" if floor.days is None else f"at least {floor.days} days"
        raise RuleTooShort(f"The law requires {limit} for “{rule.key}” ({floor.citation}).")
    changed = [
        name
        for name, value in (
            ("period_days", period_days),
            ("counted_from", counted_from),
            ("outcome", outcome),
        )
        if getattr(rule, name) != value
    ]
    if changed:
        rule.period_days, rule.counted_from, rule.outcome = period_days, counted_from, outcome
        rule.save(update_fields=[*changed, "updated_at"])
        record(
            Event.RETENTION_RULE_CHANGED,
            target=rule,
            data={"rule": rule.key, "fields": changed, "period_days": period_days},
        )
    return changed


class HoldRefused(ValueError):
    pass


@transaction.atomic
def place_hold(
    *,
    reason: str,
    case_reference: str,
    review_on: date,
    people: Iterable[Person] = (),
    category: str = "",
    today: date,
) -> LegalHold:
    """Hold named people's data (all of it), or one data category for everyone (no people)."""
    if reason not in HoldReason.values:
        raise HoldRefused("Choose the reason for the hold.")
    if not case_reference.strip():
        raise HoldRefused("Give the case or matter reference the hold is for.")
    if review_on <= today:
        raise HoldRefused("The review date must be after today.")
    people = list(people)
    if not people and not category:
        raise HoldRefused("Name the people, or the data category, the hold covers.")
    hold = LegalHold.objects.create(
        reason=reason,
        case_reference=case_reference.strip(),
        category=category,
        review_on=review_on,
        placed_at=timezone.now(),
    )
    HeldPerson.objects.bulk_create(HeldPerson(hold=hold, person=person) for person in people)
    record(
        Event.HOLD_PLACED,
        target=hold,
        data={"reason": reason, "people": len(people), "category": category or None},
    )
    for person in people:
        record(Event.HOLD_PLACED, subject=person, target=hold, data={"reason": reason})
    return hold


@dataclass(frozen=True)
class Release:
    hold: LegalHold
    erased: list[ErasureReport]


RELEASE = "retention.release_hold"  # the capability, and the two-person rule's action name


def release_hold(*, hold: LegalHold, approval: Approval) -> Release:
    """End a hold, on a second staff member's approval (approvals.decide), which it uses up.
    People who asked to be erased while it stood, and are under no other hold, are erased now."""
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise HoldRefused("This hold was already released.")
        consume(approval=approval, action=RELEASE, target=hold)
        hold.released_at = timezone.now()
        hold.save(update_fields=["released_at"])
        record(Event.HOLD_RELEASED, target=hold, data={"reason": hold.reason})
        waiting = list(
            HeldPerson.objects.filter(hold=hold, erasure_requested_at__isnull=False).select_related(
                "person"
            )
        )
    erased = []
    for entry in waiting:
        if not holds_on_person(entry.person).exists():
            erased.append(
                erase_person(person=entry.person, reason=ErasureReason(entry.erasure_reason))
            )
    return Release(hold=hold, erased=erased)


@dataclass(frozen=True)
class ErasureOutcome:
    report: ErasureReport | None
    held_by: list[LegalHold]

    @property
    def erased(self) -> bool:
        return self.report is not None


def erase_unless_held(*, person: Person, reason: ErasureReason) -> ErasureOutcome:
    """Erase the person, unless a legal hold keeps their data: then note the request on each
    hold (the erasure happens when the last one is released) and say which holds, so the person
    can be told what is kept and why."""
    with transaction.atomic():
        holding = list(holds_on_person(person))
        if holding:
            now = timezone.now()
            HeldPerson.objects.filter(
                hold__in=holding, person=person, erasure_requested_at__isnull=True
            ).update(erasure_requested_at=now, erasure_reason=reason)
            record(
                Event.ERASURE_HELD,
                subject=person,
                target=person,
                data={"reason": str(reason), "holds": [str(hold.pk) for hold in holding]},
            )
            return ErasureOutcome(report=None, held_by=holding)
    return ErasureOutcome(report=erase_person(person=person, reason=reason), held_by=[])


# "person" runs last: the other rules may leave someone with nothing else held about them.
def _rule_order(rule: RetentionRule) -> tuple[bool, str]:
    return rule.key == "person", rule.key


def apply_retention(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    only: str | None = None,
    batch_size: int = 500,
    progress: Callable[[str], None] = lambda line: None,
) -> list[RuleReport]:
    """Apply every rule (or `only` one). Safe to run twice, and to resume after a crash."""
    now = now or timezone.now()
    ensure_rules()
    rules = sorted(RetentionRule.objects.all(), key=_rule_order)
    return [
        apply_rule(rule, now=now, dry_run=dry_run, batch_size=batch_size, progress=progress)
        for rule in rules
        if only is None or rule.key == only
    ]


def remind_due_holds(*, today: date) -> int:
    """Email the privacy officer about holds at or past their review date (once a day each).
    Holds never lapse on their own: only a release ends them."""

    reminded = 0
    for hold in due_for_review(today=today):
        with transaction.atomic():
            LegalHold.objects.filter(pk=hold.pk).update(last_reminded_on=today)
            queue_essential_email(
                person=person_for_email(email=settings.PRIVACY_OFFICER_EMAIL),
                template="retention/email/hold_review",
                language="en",
                context={"hold": hold, "today": today},
                dedupe_key=f"hold-review:{hold.pk}:{today.isoformat()}",
            )
            record(
                Event.HOLD_REVIEW_DUE, target=hold, data={"review_on": hold.review_on.isoformat()}
            )
        reminded += 1
    return reminded


def take_backup(*, now: datetime | None = None) -> BackupFile:
    """Write an encrypted backup, then drop backups older than the "backups" rule allows."""
    now = now or timezone.now()
    backup = create_backup(now=now)
    with transaction.atomic():
        record(
            Event.BACKUP_CREATED,
            data={"engine": backup.engine, "bytes": backup.size, "file": backup.path.name.lower()},
        )
    apply_retention(now=now, only="backups")
    return backup


@dataclass(frozen=True)
class Restored:
    created: str
    erasures_reapplied: int
    expired: int


def restore_from_backup(*, path: Path) -> Restored:
    """Restore the data database, then bring it forward: replay every erasure made since (the
    journal lives in the keyring, outside every data backup) and remove what has expired since."""
    header = restore_backup(path)
    reapplied = reapply_erasures()
    reports = apply_retention()
    with transaction.atomic():
        record(
            Event.BACKUP_RESTORED,
            data={
                "created": header["created"][:19].replace("+", "").lower(),
                "erasures": reapplied,
                "expired": sum(report.total for report in reports),
            },
        )
    return Restored(
        created=header["created"],
        erasures_reapplied=reapplied,
        expired=sum(report.total for report in reports),
    )
