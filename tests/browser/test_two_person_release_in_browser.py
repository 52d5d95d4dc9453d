"""A legal hold is released only after a second privacy officer approves, in a real browser: the
first asks with a reason and cannot approve it themselves; the second sees the reason and
approves, and the hold ends."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from goodskin.accounts.tests.conftest import make_staff
from goodskin.communications.tests.conftest import person
from goodskin.retention.actions import place_hold
from goodskin.retention.models import LegalHold
from tests.browser.conftest import sign_in_to_console


def _sign_in(page: Page, site: str, email: str) -> None:
    sign_in_to_console(page, site, email, "Officer-Console-Pass-9")


def test_a_hold_is_released_only_after_a_second_officer_approves(
    page: Page, browser: Browser, site: str, screenshot_folder: Path
) -> None:
    today = timezone.localdate()
    hold = place_hold(
        reason="litigation",
        case_reference="LASC 26STCV0999",
        review_on=today + timedelta(days=30),
        people=[person("rosa@example.com")],
        today=today,
    )
    make_staff(email="first.officer@goodskinclinics.com")
    make_staff(email="second.officer@goodskinclinics.com")

    _sign_in(page, site, "first.officer@goodskinclinics.com")
    page.goto(f"{site}/console/retention/")
    page.get_by_label("Why release it").fill("The case settled on 30 November")
    page.get_by_role("button", name="Ask to release").click()
    expect(
        page.get_by_text(f"Release of hold {hold.pk} asked: a second person must approve.")
    ).to_be_visible()
    page.get_by_role("button", name="Approve and release").click()
    expect(
        page.get_by_text("You asked for this: a different member of staff must decide it.")
    ).to_be_visible()
    assert LegalHold.objects.get(pk=hold.pk).released_at is None

    second = browser.new_context(base_url=site).new_page()
    _sign_in(second, site, "second.officer@goodskinclinics.com")
    second.goto(f"{site}/console/retention/")
    expect(second.get_by_text("“The case settled on 30 November”")).to_be_visible()
    second.screenshot(path=screenshot_folder / "console-hold-release-asked.png", full_page=True)
    second.get_by_role("button", name="Approve and release").click()
    expect(
        second.get_by_text(f"Hold {hold.pk} released; 0 waiting erasure(s) carried out.")
    ).to_be_visible()
    assert LegalHold.objects.get(pk=hold.pk).released_at is not None
