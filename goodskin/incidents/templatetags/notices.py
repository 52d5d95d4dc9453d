"""The substitute notice of a breach, for the pages that must carry it."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone, translation

from goodskin.incidents import wording
from goodskin.incidents.models import Incident
from goodskin.incidents.queries import breach_notices_posted
from goodskin.vault.taxonomy import DATA_CATEGORIES

register = template.Library()


@register.simple_tag
def posted_breach_notices() -> list[Incident]:
    """Incidents whose substitute notice is up now (one indexed query)."""
    return breach_notices_posted(now=timezone.now())


@register.filter
def happened(incident: Incident) -> str:
    return wording.when(incident.window_start, incident.window_end)


@register.filter
def day(moment: datetime) -> str:
    return wording.day(moment)


@register.filter
def in_language(incident: Incident, field: str) -> str:
    """A staff-written text in the reader's language, English when no translation was given."""
    if translation.get_language() == "es":
        return getattr(incident, f"{field}_es", "") or getattr(incident, field)
    return str(getattr(incident, field))


@register.filter
def category(key: str) -> str:
    """A data-map category in the reader's words and language."""
    return str(DATA_CATEGORIES.get(key, key))


@register.filter
def categories(keys: list[str], separator: str = ", ") -> str:
    return separator.join(category(key) for key in keys)
