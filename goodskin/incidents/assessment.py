"""Who an incident touched, from the data map and the audit log, and each state's clock. Reads only.

A person is affected when a table involved held an *exposed* field about them during the window:
a field of a category involved, not sealed under a key that stayed safe (data encrypted under keys
that were not exposed is not "unsecured" under HIPAA nor "personal information" under the state
statutes' encryption safe harbours). Two sources, so that people whose rows are gone still count:
the rows in the tables now (created before the window closed), and the audit log's erasures after
the window opened that touched those tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.core.datamap import PersonalData
from goodskin.rights.models import DataRequest
from goodskin.vault.fields import SealedField
from goodskin.vault.registry import person_linked

# PHI for HIPAA: health details, and what people tell us in consultation requests and messages.
PHI_CATEGORIES = ("user.health_and_medical", "user.content.private")
_CREATED = ("created_at", "date_joined", "occurred_at", "disclosed_at", "opened_at")


@dataclass(frozen=True)
class Exposure:
    model: type[models.Model]
    exposed: tuple[str, ...]  # fields readable by whoever got in
    sealed_safe: tuple[str, ...]  # sealed fields whose keys were not exposed
    phi: bool
    exposed_categories: tuple[str, ...] = ()
    sealed_categories: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return self.model._meta.label_lower


def exposures(*, tables: list[str], categories: list[str], keys_exposed: bool) -> list[Exposure]:
    """For each table involved, which of its personal fields were exposed and which were safe."""
    wanted = {label.lower() for label in tables}
    found = []
    for model, declaration in person_linked():
        if model._meta.label_lower not in wanted:
            continue
        exposed, safe, phi = [], [], False
        exposed_categories: set[str] = set()
        sealed_categories: set[str] = set()
        concrete = {f.name: f for f in model._meta.get_fields() if hasattr(f, "attname")}
        for name, personal in declaration.fields.items():
            if categories and not any(
                personal.category == c or personal.category.startswith(c + ".") for c in categories
            ):
                continue
            sealed = isinstance(concrete.get(name), SealedField)
            if sealed and not keys_exposed:
                safe.append(name)
                sealed_categories.add(personal.category)
                continue
            exposed.append(name)
            exposed_categories.add(personal.category)
            phi = phi or personal.category.startswith(PHI_CATEGORIES)
        found.append(
            Exposure(
                model,
                tuple(exposed),
                tuple(safe),
                phi,
                tuple(sorted(exposed_categories)),
                tuple(sorted(sealed_categories)),
            )
        )
    return found


def _rows_then(model: type[models.Model], declaration: PersonalData, end: datetime) -> Any:
    # Nobody we first heard of after the window closed can have been exposed in it, whether or
    # not the table itself records when each row was written.
    rows = model._default_manager.filter(**{f"{declaration.subject}__created_at__lte": end})
    names = {f.name for f in model._meta.get_fields()}
    created = next((name for name in _CREATED if name in names), None)
    if created is not None:
        rows = rows.filter(**{f"{created}__lte": end})
    return rows.values_list(declaration.subject or "pk", flat=True).distinct()


def affected_people(
    *, exposures_: list[Exposure], start: datetime, end: datetime
) -> dict[int, bool]:
    """person id → whether PHI of theirs was exposed."""

    by_label = {model._meta.label_lower: (model, d) for model, d in person_linked()}
    people: dict[int, bool] = {}
    exposed_tables = [e for e in exposures_ if e.exposed]
    for exposure in exposed_tables:
        model, declaration = by_label[exposure.table]
        for person_id in _rows_then(model, declaration, end).iterator(chunk_size=20_000):
            if person_id is not None:
                people[person_id] = people.get(person_id, False) or exposure.phi
    if exposed_tables:
        phi_tables = {e.table for e in exposed_tables if e.phi}
        wanted = {e.table for e in exposed_tables}
        erasures = AuditEntry.objects.filter(
            event=Event.PERSON_ERASED, occurred_at__gte=start, subject_type="vault.person"
        ).values_list("subject_id", "data")
        for subject_id, data in erasures.iterator(chunk_size=20_000):
            touched = set(data.get("tables", [])) & wanted
            if touched:
                person_id = int(subject_id)
                people[person_id] = people.get(person_id, False) or bool(touched & phi_tables)
    return people


def states_of(person_ids: list[int]) -> dict[int, str]:
    """The state each person told us they live in (their latest privacy request), if any."""

    known: dict[int, str] = {}
    for start in range(0, len(person_ids), 5000):
        chunk = person_ids[start : start + 5000]
        for person_id, state in (
            DataRequest.objects.filter(person_id__in=chunk)
            .exclude(state="US")
            .order_by("person_id", "received_on", "pk")
            .values_list("person_id", "state")
        ):
            known[person_id] = state  # the latest wins
    return known
