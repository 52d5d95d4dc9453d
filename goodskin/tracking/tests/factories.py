"""Raw analytics events for tests, as the collect endpoint would have stored them."""

from __future__ import annotations

from datetime import datetime

from goodskin.tracking.models import PageEvent


def page_event(at: datetime) -> PageEvent:
    return PageEvent.objects.create(
        occurred_at=at,
        kind="page_view",
        path="/",
        visitor="v",
        consented=False,
        ip_prefix="192.0.2.0",
        device="desktop",
        browser="Chrome",
        os="Linux",
        screen="large",
        language="en",
    )
