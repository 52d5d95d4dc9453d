"""Dates in a notice, as a reader says them. In the active language."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def day(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment).date(), "DATE_FORMAT")


def when(start: datetime, end: datetime) -> str:
    """ "on Nov. 30, 2026" for one day, "between Nov. 28, 2026 and Nov. 30, 2026" for more:
    never a range from a day to itself."""
    first, last = day(start), day(end)
    if first == last:
        return _("on %(day)s") % {"day": first}
    return _("between %(start)s and %(end)s") % {"start": first, "end": last}
