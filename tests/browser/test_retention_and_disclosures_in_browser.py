"""The privacy officer's retention and disclosure pages, and the public State Privacy Notice, in a
real browser."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import PASSWORD, make_account
from tests.browser.conftest import sign_in_to_console


def sign_in_as_officer(page: Page, site: str) -> None:
    User.objects.create_user(
        "privacy.officer@goodskinclinics.com",
        PASSWORD,
        full_name="Pat Officer",
        is_staff=True,
        is_superuser=True,
    )
    sign_in_to_console(page, site, "privacy.officer@goodskinclinics.com", PASSWORD)


def test_the_officer_places_a_hold_runs_a_dry_run_and_logs_a_subpoena(
    page: Page, site: str, screenshot_folder: Path
) -> None:
    make_account(email="rosa@example.com")
    sign_in_as_officer(page, site)
    page.goto(f"{site}/console/retention/")
    expect(page.get_by_role("heading", name="Retention schedule")).to_be_visible()
    page.get_by_label("Reason").select_option("dispute")
    page.get_by_label("Case or matter reference").fill("GS-2026-014")
    page.get_by_label("Review on").fill((timezone.localdate() + timedelta(days=60)).isoformat())
    page.get_by_label("People (one email address per line)").fill("rosa@example.com")
    page.get_by_role("button", name="Place hold").click()
    expect(page.get_by_text(re.compile(r"^Hold \d+ placed\.$"))).to_be_visible()
    page.get_by_role("link", name="Dry run: what would go tonight").click()
    expect(page.get_by_role("table", name="Dry run")).to_be_visible()
    page.screenshot(path=screenshot_folder / "console-retention.png", full_page=True)

    page.goto(f"{site}/console/disclosures/")
    page.get_by_label("What it was").select_option("legal_process")
    page.get_by_label("To", exact=True).select_option(
        label="Courts, law enforcement and regulators"
    )
    page.get_by_label("Reference (docket, order, case or ticket number)").fill("LASC 26STCV01234")
    page.get_by_label("Information released").select_option(["user.name", "user.contact.email"])
    page.get_by_label("About (one email address per line)").fill("rosa@example.com")
    page.get_by_role("button", name="Log disclosure").click()
    expect(page.get_by_text(re.compile(r"^Disclosure \d+ logged\.$"))).to_be_visible()
    expect(page.get_by_role("cell", name="LASC 26STCV01234")).to_be_visible()
    page.screenshot(path=screenshot_folder / "console-disclosures.png", full_page=True)


def test_the_state_notice_lists_who_receives_information(
    page: Page, site: str, screenshot_folder: Path
) -> None:
    page.goto(f"{site}/privacy/state-notice/")
    expect(page.get_by_role("heading", name="Who receives personal information")).to_be_visible()
    # Named once in the list of recipients, and again beside each kind of information it handles.
    expect(
        page.get_by_role("listitem").filter(has_text="Delivery of the emails we send you")
    ).to_have_count(1)
    expect(
        page.get_by_role("cell", name="Delivery of the emails we send you").first
    ).to_be_visible()
    page.screenshot(path=screenshot_folder / "state-notice-en-wide.png", full_page=True)
