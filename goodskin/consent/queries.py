"""Reading consent records for the person they concern."""

from __future__ import annotations

from typing import Any

from goodskin.consent.models import ConsentRecord
from goodskin.vault.models import Person


def records_from_browsers_of(person: Person, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records of each browser the person's own records name, made there before they signed
    in (so not yet tied to them), in the shape of the person's rows (`rows`)."""
    browsers = {row["browser_id"] for row in rows} - {""}  # "": a choice for every browser
    if not browsers:
        return []
    names = [name for name in rows[0] if name != "id"]
    return list(
        ConsentRecord.objects.filter(person__isnull=True, browser_id__in=browsers)
        .order_by("pk")
        .values("id", *names)
    )
