from __future__ import annotations

from django.http import HttpRequest

from goodskin.communications.queries import unread_notice_count


def notices(request: HttpRequest) -> dict[str, int]:
    """The unread count in the header, for signed-in people only (one indexed count)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "person_id", None) is None:
        return {}
    return {"unread_notices": unread_notice_count(user.person)}
