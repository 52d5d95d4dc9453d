"""Correcting one piece of a person's information everywhere we keep it.

The data map says where each piece lives: every column declared with `corrects="name"` (the
person's own row, their account, each form they sent) holds a copy of the same piece, so a
correction changes them together and no copy keeps the wrong value. A copy that was never given
(a form sent without a phone number) stays empty: a correction fixes what we hold, it does not
fill in what the person chose not to tell us.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from goodskin.core.validation import normalise_email
from goodskin.vault.fields import SealedProperty
from goodskin.vault.models import Person
from goodskin.vault.registry import MappedField, personal_fields


class Item(StrEnum):
    NAME = "name"
    EMAIL = "email"
    PHONE = "phone"
    DATE_OF_BIRTH = "date_of_birth"


LABELS = {
    Item.NAME: _("Name"),
    Item.EMAIL: _("Email address"),
    Item.PHONE: _("Phone number"),
    Item.DATE_OF_BIRTH: _("Date of birth"),
}


class CorrectionRefused(ValueError):
    def __init__(self, message: str, *, item: Item) -> None:
        super().__init__(message)
        self.item = item


@dataclass(frozen=True)
class Change:
    item: Item
    old: tuple[str, ...]  # the distinct values replaced, as text
    new: str
    rows: dict[str, int]  # rows changed per model label
    columns: tuple[MappedField, ...]  # the columns that held a replaced value


def columns(item: Item) -> list[MappedField]:
    return [field for field in personal_fields() if field.personal.corrects == item]


def _attribute(field: MappedField) -> str:
    """The name a column's value is read and written through: a sealed column's property."""
    for klass in field.model.__mro__:
        for name, attribute in vars(klass).items():
            if isinstance(attribute, SealedProperty) and attribute.column == field.name:
                return name
    return field.name


def _rows(field: MappedField, person: Person) -> Iterator[models.Model]:
    subject = field.declaration.subject
    if subject == "self":
        yield person
        return
    yield from field.model._default_manager.filter(**{subject or "pk": person.pk}).order_by("pk")


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def current_values(person: Person) -> dict[Item, list[str]]:
    """What we hold for each correctable piece, distinct values in the order first found."""
    found: dict[Item, list[str]] = {}
    for item in Item:
        values = found.setdefault(item, [])
        for field in columns(item):
            for row in _rows(field, person):
                value = getattr(row, _attribute(field))
                if value not in (None, "") and _text(value) not in values:
                    values.append(_text(value))
    return found


def _refuse_taken_address(person: Person, address: str) -> None:
    for field in columns(Item.EMAIL):
        taken = field.model._default_manager.filter(**{f"{field.name}__iexact": address})
        subject = field.declaration.subject
        taken = (
            taken.exclude(pk=person.pk)
            if subject == "self"
            else taken.exclude(**{subject or "pk": person.pk})
        )
        column = field.model._meta.get_field(field.name)
        if isinstance(column, models.Field) and column.unique and taken.exists():
            raise CorrectionRefused(
                "Another person's record already uses this address: we cannot give it to this "
                "person as well. Check the address with them.",
                item=Item.EMAIL,
            )


def correct(*, person: Person, item: Item, value: str | date) -> Change:
    """Replace every copy of `item` we hold for the person with `value` (already validated by
    the caller's form). A changed address or number is no longer verified: the
    `<column>_verified_at` beside it is cleared, so nothing is sent there on the strength of an
    old confirmation. Call inside the caller's transaction; raises CorrectionRefused, changing
    nothing, when there is nothing to correct or the new address belongs to someone else."""
    if item == Item.EMAIL:
        assert isinstance(value, str)
        value = normalise_email(value)
        _refuse_taken_address(person, value)
    held = False
    old: list[str] = []
    rows: dict[str, int] = {}
    touched: list[MappedField] = []
    pending: list[tuple[models.Model, str, list[str]]] = []
    for field in columns(item):
        attribute = _attribute(field)
        for row in _rows(field, person):
            current = getattr(row, attribute)
            if current in (None, ""):
                continue
            held = True
            if current == value:
                continue
            if _text(current) not in old:
                old.append(_text(current))
            setattr(row, attribute, value)
            changed = [field.name]
            verified = f"{field.name}_verified_at"
            if any(f.name == verified for f in row._meta.get_fields()):
                setattr(row, verified, None)
                changed.append(verified)
            pending.append((row, field.model._meta.label, changed))
            if field not in touched:
                touched.append(field)
    if not held:
        raise CorrectionRefused(
            "We hold no value for this to correct: leave it unchanged.", item=item
        )
    if not pending:
        raise CorrectionRefused(
            "This is what we already hold: leave it unchanged, or enter the new value.", item=item
        )
    for row, label, changed in pending:
        row.save(update_fields=changed)
        rows[label] = rows.get(label, 0) + 1
    return Change(item=item, old=tuple(old), new=_text(value), rows=rows, columns=tuple(touched))
