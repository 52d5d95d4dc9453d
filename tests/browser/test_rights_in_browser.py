"""A person makes a privacy request in a real browser and confirms it with the emailed code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from goodskin.core.smtp_sink import SmtpSink
from goodskin.rights.models import DataRequest
from tests.browser.conftest import DESKTOP_CHROME, serious_accessibility_violations


@pytest.fixture
def a11y_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(bypass_csp=True, user_agent=DESKTOP_CHROME)
    yield context.new_page()
    context.close()


def test_a_person_asks_for_a_copy_and_confirms_it_with_the_emailed_code(
    a11y_page: Page, site: str, smtp_sink: SmtpSink, axe_source: str, screenshot_folder: Path
) -> None:
    page = a11y_page
    page.goto(f"{site}/privacy/state-notice/")
    page.get_by_role("link", name="Make a privacy request").click()
    expect(page.get_by_role("heading", name="Make a privacy request")).to_be_visible()
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "privacy-request-en-wide.png", full_page=True)

    page.get_by_label("A copy of the information you hold about me").check()
    page.get_by_label("The state you live in").select_option("CA")
    page.get_by_label("Your email address").fill("rosa@example.com")
    page.get_by_role("button", name="Send my request").click()

    reference = DataRequest.objects.get().reference
    expect(page.get_by_text(f"Your reference is {reference}.")).to_be_visible()
    code_email = next(
        message for message in smtp_sink.wait_for(2) if "verification code" in message["Subject"]
    )
    code = re.search(r"^\s+(\d{6})\s*$", code_email.get_content(), re.MULTILINE).group(1)  # type: ignore[union-attr]  # present
    page.get_by_label("The 6-digit code from our email").fill(code)
    page.get_by_role("button", name="Confirm it is me").click()

    expect(page.get_by_role("heading", name="Thank you, that is confirmed")).to_be_visible()
    assert DataRequest.objects.get().verification == "email_code"
    page.set_viewport_size({"width": 390, "height": 844})
    assert serious_accessibility_violations(page, axe_source) == []


def test_a_signed_in_person_asks_for_deletion_and_is_erased_when_staff_fulfil_it(
    page: Page, site: str, smtp_sink: SmtpSink
) -> None:
    from django.utils import timezone

    from goodskin.accounts.models import User
    from goodskin.accounts.tests.conftest import PASSWORD, make_account
    from goodskin.rights.actions import fulfil_request

    make_account(email="rosa@example.com", verified=True)
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{site}/privacy/request/")
    page.get_by_label("Delete my information").check()
    page.get_by_label("The state you live in").select_option("CA")
    page.get_by_label("Your email address").fill("rosa@example.com")
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", name="We have your request")).to_be_visible()
    request = DataRequest.objects.get()
    assert request.verification == "signed_in"  # no code needed: the session proves it

    fulfil_request(request=request, today=timezone.localdate())

    assert User.objects.get().email != "rosa@example.com"
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That email and password don't match an account.")).to_be_visible()


def test_the_access_report_downloads_from_the_emailed_link(
    page: Page, site: str, smtp_sink: SmtpSink
) -> None:
    import io
    import json
    import zipfile

    from django.utils import timezone

    from goodskin.accounts.tests.conftest import make_account
    from goodskin.rights.actions import fulfil_request, open_request
    from goodskin.rights.models import Channel

    account = make_account(email="rosa@example.com")
    opened = open_request(
        kind="access",
        email="rosa@example.com",
        state="CA",
        today=timezone.localdate(),
        channel=Channel.ACCOUNT,
        signed_in_person=account.person,
    )
    fulfil_request(request=opened.request, today=timezone.localdate())
    ready = next(m for m in smtp_sink.wait_for(2) if "is ready" in m["Subject"])
    link = re.search(r"(http://\S+)", ready.get_content()).group(1)  # type: ignore[union-attr]  # present

    with page.expect_download() as download_info:
        page.evaluate("url => { window.location.href = url; }", link)
    download = download_info.value
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    data = json.loads(archive.read("report.json"))
    assert data["reference"] == opened.request.reference
    assert any(table["table"] == "accounts.User" for table in data["tables"])
