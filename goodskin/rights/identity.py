"""Checking that a requester is the person, to the degree the request's risk calls for.

An emailed code shows control of the address: enough for the categories we hold, a correction or
an ordinary deletion. A copy of the specific pieces, or deleting sensitive data, also needs two
details that match what we hold (the "reasonably high degree of certainty" of 11 CCR § 7062,
applied to every state by our promise). Comparison is on normalised values, never logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from goodskin.accounts.models import User
from goodskin.submissions.models import SUBMISSION_MODELS
from goodskin.vault.models import Person
from goodskin.vault.registry import person_linked
from goodskin.vault.taxonomy import is_sensitive

# Tables about the request itself are not what the person asked us to find.
_OWN_TABLES = {"rights.datarequest", "rights.minorscase"}


@dataclass(frozen=True)
class Details:
    full_name: str = ""
    date_of_birth: date | None = None
    phone: str = ""

    @property
    def given(self) -> int:
        return sum(bool(value) for value in (self.full_name, self.date_of_birth, self.phone))


def _name(value: str) -> str:
    return " ".join(value.casefold().split())


def _phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[-10:] if len(digits) >= 10 else ""


def _on_file(person: Person) -> tuple[set[str], set[date], set[str]]:
    names: set[str] = set()
    births: set[date] = set()
    phones: set[str] = {_phone(person.phone or "")}
    account = User.objects.filter(person=person).first()
    if account is not None:
        names.add(_name(account.full_name))
        if account.date_of_birth is not None:
            births.add(account.date_of_birth)
    for model in SUBMISSION_MODELS:
        for name, phone in model._default_manager.filter(person=person).values_list(
            "full_name", "phone"
        ):
            names.add(_name(name))
            phones.add(_phone(phone))
    return names - {""}, births, phones - {""}


def details_on_file(person: Person) -> int:
    """How many kinds of detail we could check against (0–3)."""
    names, births, phones = _on_file(person)
    return sum(bool(found) for found in (names, births, phones))


def matching(person: Person, given: Details) -> int:
    names, births, phones = _on_file(person)
    return sum(
        (
            bool(given.full_name) and _name(given.full_name) in names,
            given.date_of_birth is not None and given.date_of_birth in births,
            bool(_phone(given.phone)) and _phone(given.phone) in phones,
        )
    )


def holds_sensitive(person: Person) -> bool:
    """Whether any table holds a sealed sensitive value about the person (besides requests)."""
    for model, declaration in person_linked():
        if model._meta.label_lower in _OWN_TABLES:
            continue
        rows = model._default_manager.filter(**{declaration.subject or "pk": person.pk})
        for field, personal in declaration.fields.items():
            if (
                is_sensitive(personal.category)
                and rows.filter(**{f"{field}__isnull": False}).exists()
            ):
                return True
    return False
