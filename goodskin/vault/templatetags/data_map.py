"""Template help for the staff data map."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def breakable(value: object) -> SafeString:
    """Let a long dotted or underscored name (`user.contact.email`, `date_of_birth_sealed`) wrap
    after its dots and underscores, so the table fits the screen without breaking words."""
    escaped = str(escape(value))
    return mark_safe(  # noqa: S308  (escaped above; only <wbr> is added)
        escaped.replace(".", ".<wbr>").replace("_", "_<wbr>").replace(", ", ",<wbr> ")
    )
