"""Clause words to HTML: escaped, with [words](/path/) links and nothing else."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from goodskin.jurisdictions.privacy import STATE_NAMES
from goodskin.jurisdictions.regulators import regulator_name

register = template.Library()

# Only links to our own pages or to an email address: a policy never sends people elsewhere.
_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((/[A-Za-z0-9/._#?=&-]*|mailto:[^)\s]{3,200})\)")


@register.filter
def clause_html(text: str) -> SafeString:
    escaped = str(escape(text))
    return mark_safe(  # noqa: S308  # escaped above; only our own link markup is turned into tags
        _LINK.sub(lambda match: f'<a href="{match.group(2)}">{match.group(1)}</a>', escaped)
    )


@register.filter
def clause_plain(text: str) -> str:
    """The words without link markup, for diffs and emails."""
    return _LINK.sub(lambda match: match.group(1), text)


@register.filter
def regulator(english: str) -> str:
    """A regulator from the jurisdiction table, named in the reader's language."""
    return regulator_name(english)


@register.filter
def state_name(code: str) -> str:
    """A state's name in the reader's language."""
    return str(STATE_NAMES.get(code, code))


@register.filter
def what_changed(version: Any) -> str:
    """A version's summary in the reader's language; the staff's reason when none was written."""
    summary = version.summary or {}
    return str(
        summary.get(translation.get_language() or "en") or summary.get("en") or version.reason
    )
