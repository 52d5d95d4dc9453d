"""Last year's request figures, per type and per state, as a page and a CSV."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client

from goodskin.rights.metrics import Closed, MetricsRow, table
from goodskin.rights.models import DataRequest
from goodskin.vault.actions import person_for_email


def closed(kind: str, state: str, status: str, days: int | None) -> Closed:
    received = date(2025, 3, 1)
    return Closed(
        kind=kind,
        state=state,
        status=status,
        received_on=received,
        closed_on=date.fromordinal(received.toordinal() + days) if days is not None else None,
    )


def test_counts_median_and_95th_percentile_per_type() -> None:
    rows = [closed("access", "CA", "fulfilled", days) for days in (1, 2, 3, 4, 40)]
    rows += [closed("delete", "VA", "denied", 10), closed("delete", "VA", "received", None)]

    assert table(rows, by="kind") == [
        MetricsRow("access", received=5, complied=5, denied=0, median_days=3, p95_days=40),
        MetricsRow("delete", received=2, complied=0, denied=1, median_days=10, p95_days=10),
    ]
    assert [row.group for row in table(rows, by="state")] == ["CA", "VA"]


@pytest.mark.django_db
@time_machine.travel("2026-11-29 12:00:00-08:00", tick=False)
def test_the_public_report_covers_last_calendar_year_only(client: Client) -> None:
    person = person_for_email(email="rosa@example.com")
    for received, closed_on in ((date(2025, 5, 1), date(2025, 5, 11)), (date(2026, 1, 5), None)):
        DataRequest.objects.create(
            reference=f"GS-{received:%m%d}TEST",
            person=person,
            kind="access",
            state="CA",
            rules="CA",
            channel="web",
            received_on=received,
            due_on=received,
            status="fulfilled" if closed_on else "received",
            closed_on=closed_on,
        )

    page = client.get("/privacy/requests-report/")
    csv = client.get("/privacy/requests-report/?format=csv")

    assert "Privacy requests in 2025" in page.content.decode()
    assert "A copy of the information you hold about me" in page.content.decode()
    assert csv.content.decode().splitlines() == [
        "grouping,group,received,complied,denied,median_days,p95_days",
        "type,access,1,1,0,10,10",
        "state,CA,1,1,0,10,10",
    ]
