"""Creating people and erasing them.

Erasure runs in two steps, each idempotent, so a crash between them is finished by running again
(`reapply_erasures`): first, in the keyring, the erasure is journalled and the person's key is
destroyed; from that commit on, their sealed data is unreadable everywhere, backups included.
Then, in the data database, every row the data map ties to the person is deleted or anonymised
in one transaction, with one audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.core.datamap import OnErase, PersonalData
from goodskin.core.validation import normalise_email
from goodskin.vault import keys
from goodskin.vault.models import Erasure, ErasureReason, Person
from goodskin.vault.registry import person_linked
from goodskin.vault.routers import KEYRING


def create_person(*, email: str | None = None, phone: str | None = None) -> Person:
    key_id = keys.create_key()  # committed to the keyring first; an unused key harms no one
    with transaction.atomic():
        person = Person.objects.create(
            key_id=key_id, email=normalise_email(email) if email else None, phone=phone or None
        )
        record(Event.PERSON_CREATED, subject=person, target=person)
    return person


def person_for_email(*, email: str, phone: str | None = None) -> Person:
    """The person with this email address, created if there is none. Idempotent under races."""
    address = normalise_email(email)
    existing = Person.objects.filter(email=address).first()
    if existing is not None:
        return existing
    try:
        return create_person(email=address, phone=phone)
    except IntegrityError:  # created by a concurrent request a moment ago
        return Person.objects.get(email=address)


@transaction.atomic
def mark_email_verified(*, person: Person) -> None:
    if person.email_verified_at is None:
        person.email_verified_at = timezone.now()
        person.save(update_fields=["email_verified_at"])


@dataclass(frozen=True)
class ErasureReport:
    person_id: int
    rows: dict[str, int]  # rows changed per model label
    key_destroyed: bool

    @property
    def changed_anything(self) -> bool:
        return self.key_destroyed or any(self.rows.values())


def _erased_value(value: object, row: models.Model) -> object:
    return value(row) if callable(value) else value


def _scrub(model: type[models.Model], declaration: PersonalData, person_id: int) -> int:
    """Delete or anonymise one table's rows about the person; return how many rows changed."""
    rows = model._default_manager.filter(**{declaration.subject or "": person_id})
    if declaration.on_erase is OnErase.DELETE:
        deleted, _ = rows.delete()
        return deleted
    changes: dict[str, object] = {**declaration.also_on_erase}
    for name, personal in declaration.fields.items():
        changes[name] = personal.erased_value
    changed = 0
    for row in rows:
        targets = {name: _erased_value(value, row) for name, value in changes.items()}
        stale = [name for name, value in targets.items() if getattr(row, name) != value]
        if stale:
            for name in stale:
                setattr(row, name, targets[name])
            row.save(update_fields=stale)
            changed += 1
    return changed


def _scrub_person(person: Person) -> dict[str, int]:
    counts = {}
    for model, declaration in person_linked():
        counts[model._meta.label] = _scrub(model, declaration, person.pk)
    if person.email is not None or person.phone is not None or person.erased_at is None:
        person.email = None
        person.phone = None
        person.erased_at = person.erased_at or timezone.now()
        person.save(update_fields=["email", "phone", "erased_at"])
        counts[Person._meta.label] = 1
    return counts


def _erase(person: Person, reason: ErasureReason) -> ErasureReport:
    with transaction.atomic():
        # One erasure of a person at a time, across both databases: a second one (a retry racing
        # the first) waits here, then finds the key gone and nothing left to change, and records
        # nothing, so the erasure is told once.
        person = Person.objects.select_for_update().get(pk=person.pk)
        # The journal and the key go first, committed on their own: if anything after fails, the
        # journal says who must be erased and `reapply_erasures` finishes it.
        with transaction.atomic(using=KEYRING):
            Erasure.objects.using(KEYRING).get_or_create(
                key_id=person.key_id, defaults={"person_id": person.pk, "reason": reason}
            )
            destroyed = keys.destroy_key(person.key_id)
        counts = _scrub_person(person)
        report = ErasureReport(person_id=person.pk, rows=counts, key_destroyed=destroyed)
        if report.changed_anything:
            record(
                Event.PERSON_ERASED,
                subject=person,
                target=person,
                data={
                    "reason": str(reason),
                    "key_destroyed": destroyed,
                    "tables": sorted(label.lower() for label, count in counts.items() if count),
                    "rows": sum(counts.values()),
                },
            )
    return report


def erase_person(*, person: Person, reason: ErasureReason) -> ErasureReport:
    """Destroy the person's key and delete or anonymise every row about them.

    Safe to repeat: a second run changes nothing and writes no audit entry. Legal holds (a later
    issue) are the caller's to check before calling."""
    return _erase(person, reason)


def reapply_erasures(
    *, batch_size: int = 500, progress: Callable[[int], None] | None = None
) -> int:
    """After a restore: erase again everyone the journal says was erased, wherever their key or
    rows came back. Returns how many people needed it. Idempotent."""
    needed = 0
    journal = Erasure.objects.using(KEYRING).order_by("id")
    last_id = 0
    while batch := list(journal.filter(id__gt=last_id)[:batch_size]):
        last_id = batch[-1].id
        reasons = {entry.key_id: ErasureReason(entry.reason) for entry in batch}
        for person in Person.objects.filter(key_id__in=reasons).order_by("id"):
            if _erase(person, reasons[person.key_id]).changed_anything:
                needed += 1
        if progress:
            progress(needed)
    return needed


@transaction.atomic
def record_export(*, person: Person, tables: int, rows: int) -> None:
    """An export leaves the building: say so in the audit log (who, whom, how much)."""
    record(
        Event.PERSON_EXPORTED, subject=person, target=person, data={"tables": tables, "rows": rows}
    )
