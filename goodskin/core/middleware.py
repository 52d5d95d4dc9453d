"""What a staff session may last; the request pipeline itself is config.middleware."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest

STAFF_SINCE, STAFF_SEEN = "staff_signed_in_at", "staff_last_seen_at"
# When the staff member last gave their second factor (accounts.factors): a staff session
# without it was never finished, whatever made it, and is ended.
SECOND_FACTOR_AT = "staff_second_factor_at"


def staff_session_over(request: HttpRequest, now: datetime) -> bool:
    """Staff sessions are shorter than patients': they end after STAFF_IDLE_MINUTES without a
    request and STAFF_SESSION_HOURS after sign-in, however busy (45 CFR 164.312(a)(2)(iii)),
    and at once when the second factor was never given (164.312(d))."""
    session = request.session
    if session.get(SECOND_FACTOR_AT) is None:
        return True
    since, seen = session.get(STAFF_SINCE), session.get(STAFF_SEEN)
    if since is None or seen is None:
        session[STAFF_SINCE] = session[STAFF_SEEN] = now.timestamp()
        return False
    idle = now.timestamp() - seen > settings.STAFF_IDLE_MINUTES * 60
    too_long = now.timestamp() - since > settings.STAFF_SESSION_HOURS * 3600
    if idle or too_long:
        return True
    session[STAFF_SEEN] = now.timestamp()
    return False


# The staff console is written in English only, so it is served in English (with `lang="en"`)
# whatever the language switch says, rather than half translated by Django's own admin strings.
ENGLISH_ONLY = ("/console/", "/admin/")
