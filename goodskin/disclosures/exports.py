"""The datasets a de-identified export can draw on, and how each field is generalised.

Counting happens in the database (GROUP BY on generalised columns) wherever the column allows, so
an export of a million rows costs about what the raw GROUP BY costs; only sealed values (dates of
birth) are opened one by one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from goodskin.accounts.age import age_on
from goodskin.accounts.models import User
from goodskin.disclosures.deid import ExportRefused, age_band
from goodskin.submissions.models import ConsultationRequest

DIRECT_IDENTIFIERS = frozenset(
    {"full_name", "name", "email", "phone", "address", "message", "date_of_birth", "ip_address"}
)


@dataclass(frozen=True)
class Dataset:
    label: str
    fields: dict[str, str]  # field → data-map category it reveals
    count: Callable[[list[str]], Counter[tuple[str, ...]]]


def _text(value: object) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    return str(value)


def _consultations(fields: list[str]) -> Counter[tuple[str, ...]]:
    columns = {
        "month": TruncMonth("created_at"),
        "clinic": Coalesce(F("clinic__slug"), Value("none")),
        "treatment": Coalesce(F("treatment__slug"), Value("none")),
        "preferred_time": F("preferred_time"),
        "language": F("language"),
    }
    grouped = (
        ConsultationRequest.objects.annotate(**{f"q_{name}": columns[name] for name in fields})
        .values(*[f"q_{name}" for name in fields])
        .annotate(people=Count("person_id", distinct=True))
        .order_by()
    )
    counts: Counter[tuple[str, ...]] = Counter()
    for row in grouped:
        counts[tuple(_text(row[f"q_{name}"]) for name in fields)] += row["people"]
    return counts


def _accounts(fields: list[str]) -> Counter[tuple[str, ...]]:
    today = timezone.localdate()
    counts: Counter[tuple[str, ...]] = Counter()
    users = User.objects.filter(is_active=True, is_staff=False).select_related("person")
    for user in users.iterator(chunk_size=2000):
        values = []
        for name in fields:
            if name == "age_band":
                born = user.date_of_birth
                values.append(age_band(age_on(born=born, today=today)) if born else "unknown")
            elif name == "language":
                values.append(user.preferred_language)
            else:  # joined_month
                values.append(user.date_joined.strftime("%Y-%m"))
        counts[tuple(values)] += 1
    return counts


DATASETS: dict[str, Dataset] = {
    "consultation-requests": Dataset(
        "Consultation requests",
        {
            "month": "system.operations",
            "clinic": "user.location.imprecise",
            "treatment": "user.health_and_medical",
            "preferred_time": "user.account.settings",
            "language": "user.account.settings",
        },
        _consultations,
    ),
    "accounts": Dataset(
        "Accounts",
        {
            "age_band": "user.demographic.age_range",
            "language": "user.account.settings",
            "joined_month": "system.operations",
        },
        _accounts,
    ),
}


def check_fields(dataset: str, fields: list[str]) -> Dataset:
    found = DATASETS.get(dataset)
    if found is None:
        raise ExportRefused(f"There is no dataset “{dataset}”.")
    if not fields:
        raise ExportRefused("Choose at least one field.")
    for name in fields:
        if name in DIRECT_IDENTIFIERS:
            raise ExportRefused(
                f"“{name}” is a direct identifier and is never exported.", field=name
            )
        if name not in found.fields:
            raise ExportRefused(f"“{name}” is not a field of {found.label}.", field=name)
    return found
