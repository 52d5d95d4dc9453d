from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_unsubscribe_links_are_https(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """RFC 8058: the List-Unsubscribe header must carry an HTTPS URI, or mailbox providers ignore
    one-click unsubscribe (and Gmail and Yahoo require it of bulk senders)."""
    if settings.SITE_URL.startswith("https://"):
        return []
    return [
        checks.Warning(
            f"SITE_URL is {settings.SITE_URL!r}: unsubscribe links in marketing email must be "
            "https:// for one-click unsubscribe (RFC 8058)",
            hint="Set SITE_URL to the site's https:// origin.",
            id="communications.W001",
        )
    ]
