"""A retention rule in plain words, for the public privacy pages. Pure: no database."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goodskin.core.schedule import CountedFrom, Outcome


def duration(days: int) -> str:
    if days and days % 365 == 0:
        years = days // 365
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    months = round(days / 30.4375)
    if months and abs(months * 30.4375 - days) <= 2:
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def _then(outcome: str) -> str:
    return {
        Outcome.DELETE: _("then deleted"),
        Outcome.ANONYMISE: _("then anonymised"),
        Outcome.AGGREGATE: _("then kept only as totals that cannot identify anyone"),
    }[Outcome(outcome)]


def plain_words(*, period_days: int, counted_from: str, outcome: str) -> str:
    """For a rule with an age limit, e.g. "2 years after your last contact with us, then
    deleted". Rules without one keep the data map's own wording."""
    then = _then(outcome)
    if counted_from == CountedFrom.EXPIRY:
        return _("until it expires, %(then)s") % {"then": then}
    if counted_from == CountedFrom.ACCOUNT_CLOSURE and period_days == 0:
        return _("while your account is open; erased at once when you close it")
    anchor = {
        CountedFrom.COLLECTION: _("%(duration)s after we receive it"),
        CountedFrom.LAST_ACTIVITY: _("%(duration)s after your last contact with us"),
        CountedFrom.ACCOUNT_CLOSURE: _("%(duration)s after you close your account"),
        CountedFrom.DISPUTE_END: _("%(duration)s after a dispute is resolved"),
    }[CountedFrom(counted_from)] % {"duration": duration(period_days)}
    return f"{anchor}, {then}"
