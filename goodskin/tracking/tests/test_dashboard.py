"""The staff analytics dashboard: the right numbers, drawn without any script."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import make_account
from goodskin.accounts.tests.signing_in import StaffClient
from goodskin.tracking.actions import expire_events
from goodskin.tracking.models import DailySummary, PageEvent
from goodskin.tracking.tests.test_collect import beacon

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")


def event(kind: str, path: str, visitor: str, day: int, **fields: str) -> PageEvent:
    return PageEvent(
        occurred_at=datetime(2026, 11, day, 10, tzinfo=LA),
        kind=kind,
        path=path,
        visitor=visitor,
        consented=False,
        device=fields.get("device", "mobile"),
        browser="Firefox",
        os="Linux",
        referrer_host=fields.get("referrer_host", ""),
    )


@pytest.fixture
def staff_client(client: Client) -> Client:
    member = make_account(email="staff@goodskinclinics.com")
    User.objects.filter(pk=member.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=member.pk))
    return client


def test_dashboard_counts_visitors_pages_and_the_funnel(staff_client: Client) -> None:
    PageEvent.objects.bulk_create(
        [
            event("page_view", "/", "a", 27, referrer_host="www.google.com"),
            event("page_view", "/services/", "a", 27),
            event("book_click", "/services/", "a", 27),
            event("page_view", "/consultation/", "a", 27),
            event("form_start", "/consultation/", "a", 27),
            event("form_submit", "/consultation/", "a", 27),
            event("page_view", "/", "b", 28, device="desktop"),
            event("page_view", "/", "c", 28),
        ]
    )
    page = staff_client.get("/console/analytics/?start=2026-11-27&end=2026-11-28")
    assert page.status_code == 200
    context = page.context
    assert [(day.day.isoformat(), day.views, day.visitors) for day in context["days"]] == [
        ("2026-11-27", 3, 1),
        ("2026-11-28", 2, 2),
    ]
    assert context["pages"][0] == ("/", 3, 100)
    assert context["referrers"] == [("www.google.com", 1, 100)]
    assert [(label, count) for label, count, _ in context["funnel"]] == [
        ("Visited the site", 3),
        ("Clicked “Book a consultation”", 1),
        ("Opened the consultation form", 1),
        ("Started filling it in", 1),
        ("Sent it", 1),
    ]
    html = page.content.decode()
    assert "<svg" in html
    assert "2026-11-27: 3 page views, 1 visitors" in html
    assert "<script" not in html.split('id="content-main"')[1]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=yesterday", "Dates must look like 2026-11-29."),
        ("start=2026-11-20&end=2026-11-01", "The start date must be on or before the end date."),
        ("start=2024-01-01&end=2026-01-01", "Choose a range of at most 400 days."),
    ],
)
def test_a_bad_range_says_what_to_fix(staff_client: Client, query: str, message: str) -> None:
    page = staff_client.get(f"/console/analytics/?{query}")
    assert page.status_code == 400
    assert message in page.content.decode()


def test_patients_cannot_see_the_dashboard(client: Client) -> None:
    client.force_login(make_account())
    assert client.get("/console/analytics/").status_code == 302


def test_rolled_up_days_read_the_same_from_summaries_after_raw_events_are_gone(
    staff_client: Client,
) -> None:

    PageEvent.objects.bulk_create(
        [
            event("page_view", "/", "a", 27),
            event("page_view", "/team/", "b", 27),
            event("book_click", "/", "a", 27),
        ]
    )
    before = staff_client.get("/console/analytics/?start=2026-11-27&end=2026-11-27").context
    out = StringIO()
    call_command("roll_up_analytics", "--since", "2026-11-27", stdout=out)
    call_command("roll_up_analytics", "--since", "2026-11-27", stdout=StringIO())  # idempotent
    assert DailySummary.objects.filter(day="2026-11-27", dimension="site").count() == 1
    PageEvent.objects.all().delete()  # what retention does after 13 months
    after = staff_client.get("/console/analytics/?start=2026-11-27&end=2026-11-27").context
    for key in ("days", "pages", "devices", "funnel"):
        assert after[key] == before[key], key
    assert [(d.views, d.visitors) for d in after["days"]] == [(2, 2)]


def test_today_cannot_be_rolled_up_yet() -> None:
    with pytest.raises(CommandError, match="only closed days can be rolled up"):
        call_command("roll_up_analytics", "--since", timezone.localdate().isoformat())


def test_raw_events_older_than_thirteen_months_go_and_their_totals_stay() -> None:
    old = PageEvent(
        occurred_at=datetime(2025, 9, 1, 10, tzinfo=LA), kind="page_view", path="/", visitor="x",
        consented=False, device="mobile", browser="Firefox", os="Linux",
    )  # fmt: skip
    recent = event("page_view", "/", "y", 27)
    PageEvent.objects.bulk_create([old, recent])
    deleted = expire_events(now=datetime(2026, 11, 29, 12, tzinfo=LA))
    assert deleted == 1
    assert list(PageEvent.objects.values_list("visitor", flat=True)) == ["y"]
    summary = DailySummary.objects.get(day="2025-09-01", dimension="site")
    assert (summary.views, summary.visitors) == (1, 1)
    assert expire_events(now=datetime(2026, 11, 29, 12, tzinfo=LA)) == 0


def test_rolling_up_old_days_again_never_lowers_what_is_all_that_is_left_of_them() -> None:
    PageEvent.objects.bulk_create(
        [event("page_view", "/", "a", 27), event("page_view", "/team/", "b", 27)]
    )
    with time_machine.travel("2026-11-28 12:00:00-08:00", tick=False):
        call_command("roll_up_analytics", "--since", "2026-11-27", stdout=StringIO())
    kept = list(DailySummary.objects.order_by("pk").values_list("dimension", "value", "views"))
    assert ("site", "", 2) in kept

    with time_machine.travel("2028-01-15 12:00:00-08:00", tick=False):
        out = StringIO()
        # thirteen months on, the raw events expire; then someone re-runs the old days
        call_command("roll_up_analytics", "--since", "2026-11-01", stdout=out)
        call_command("roll_up_analytics", "--since", "2026-11-01", stdout=StringIO())

    assert not PageEvent.objects.exists()
    day_27 = DailySummary.objects.filter(day="2026-11-27").order_by("pk")
    assert list(day_27.values_list("dimension", "value", "views")) == kept


def test_a_long_backfill_says_how_far_it_has_got() -> None:
    with time_machine.travel("2026-11-28 12:00:00-08:00", tick=False):
        progress = StringIO()
        call_command(
            "roll_up_analytics", "--since", "2026-09-28", stdout=StringIO(), stderr=progress
        )
    assert progress.getvalue().splitlines() == [
        "  … 30 of 61 days rolled up (to 2026-10-27)",
        "  … 60 of 61 days rolled up (to 2026-11-26)",
    ]


def test_todays_visits_show_on_the_dashboard_before_any_roll_up(
    staff_client: Client, client: Client
) -> None:

    visitor = StaffClient()
    for path in ("/", "/services/"):
        assert beacon(visitor, {"type": "page_view", "path": path}).status_code == 204

    page = staff_client.get("/console/analytics/")

    today = timezone.localdate()
    [last] = [day for day in page.context["days"] if day.day == today]
    assert (last.views, last.visitors) == (2, 1)
    assert page.context["total_views"] == 2
    assert not DailySummary.objects.filter(day=today).exists()  # live, from the raw events
