"""A person makes a privacy request in a real browser and confirms it with the emailed code."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import PASSWORD, make_account
from goodskin.core.smtp_sink import SmtpSink
from goodskin.rights.actions.fulfilment import deny_request, fulfil_request
from goodskin.rights.actions.intake import open_request
from goodskin.rights.models import Channel, DataRequest
from tests.browser.conftest import DESKTOP_CHROME, serious_accessibility_violations
from tests.browser.test_retention_and_disclosures_in_browser import sign_in_as_officer


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
    page.get_by_role("link", name="privacy request form").click()
    expect(page.get_by_role("heading", name="Make a privacy request")).to_be_visible()
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "privacy-request-en-wide.png", full_page=True)

    page.get_by_label("A copy of the information you hold about me").check()
    page.get_by_label("The state you live in").select_option("CA")
    page.get_by_label("Your email address", exact=True).fill("rosa@example.com")
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

    make_account(email="rosa@example.com", verified=True)
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{site}/privacy/request/")
    page.get_by_label("Delete my information").check()
    page.get_by_label("The state you live in").select_option("CA")
    page.get_by_label("Your email address", exact=True).fill("rosa@example.com")
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", name="We have your request")).to_be_visible()
    request = DataRequest.objects.get()
    assert request.verification == "signed_in"  # no code needed: the session proves it

    fulfil_request(request=request, today=timezone.localdate())

    assert User.objects.get().email != "rosa@example.com"
    told = next(m for m in smtp_sink.wait_for(2) if "has been deleted" in m["Subject"])
    assert told["To"] == "rosa@example.com"  # the address captured before the erasure
    assert "What we deleted:" in told.get_content()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That email and password don't match an account.")).to_be_visible()


def test_a_second_access_request_opens_from_its_link_with_a_fresh_emailed_code(
    page: Page, site: str, smtp_sink: SmtpSink, screenshot_folder: Path
) -> None:

    account = make_account(email="rosa@example.com")
    references = []
    for round_ in (1, 2):
        opened = open_request(
            kind="access",
            email="rosa@example.com",
            state="CA",
            today=timezone.localdate(),
            channel=Channel.ACCOUNT,
            signed_in_person=account.person,
        )
        fulfil_request(request=opened.request, today=timezone.localdate())
        ready = next(
            m
            for m in smtp_sink.wait_for(2)
            if "is ready" in m["Subject"] and opened.request.reference in m["Subject"]
        )
        link = re.search(r"(http://\S+)", ready.get_content()).group(1)  # type: ignore[union-attr]  # present
        smtp_sink.clear()

        page.goto(link)  # the link alone shows the way in, not the copy
        expect(page.get_by_role("heading", name="Open your information")).to_be_visible()
        page.get_by_role("button", name="Email me a code").click()
        mail = next(m for m in smtp_sink.wait_for(1) if "Your code to open" in m["Subject"])
        code = re.search(r"^\s+(\d{6})\s*$", mail.get_content(), re.MULTILINE).group(1)  # type: ignore[union-attr]  # present
        page.get_by_label("The 6-digit code from our email").fill(code)
        if round_ == 2:
            page.screenshot(path=screenshot_folder / "report-code.png", full_page=True)
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Open my information").click()
        archive = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
        data = json.loads(archive.read("report.json"))
        assert data["reference"] == opened.request.reference
        assert any(table["table"] == "accounts.User" for table in data["tables"])
        references.append(data["reference"])
        smtp_sink.clear()
    assert len(set(references)) == 2


def code_from(smtp_sink: SmtpSink) -> str:
    code_email = next(m for m in smtp_sink.wait_for(2) if "verification code" in m["Subject"])
    return re.search(r"^\s+(\d{6})\s*$", code_email.get_content(), re.MULTILINE).group(1)  # type: ignore[union-attr]  # present


def test_a_copy_of_specific_pieces_asks_for_two_details_after_the_code(
    a11y_page: Page, site: str, smtp_sink: SmtpSink, axe_source: str, screenshot_folder: Path
) -> None:

    make_account(email="rosa@example.com")
    page = a11y_page
    page.goto(f"{site}/privacy/request/")
    page.get_by_label("A copy of the information you hold about me").check()
    page.get_by_label("The state you live in").select_option("CA")
    page.get_by_label("Your email address", exact=True).fill("rosa@example.com")
    page.get_by_role("button", name="Send my request").click()
    page.get_by_label("The 6-digit code from our email").fill(code_from(smtp_sink))
    page.get_by_role("button", name="Confirm it is me").click()

    expect(page.get_by_role("heading", name="One more check")).to_be_visible()
    assert serious_accessibility_violations(page, axe_source) == []
    page.get_by_label("Your full name").fill("Rosa Delgado")
    page.get_by_label("Your phone number").fill("(310) 555-0100")
    page.get_by_role("button", name="Check my details").click()
    expect(page.get_by_text("These details do not match what we hold.")).to_be_visible()
    page.screenshot(path=screenshot_folder / "privacy-request-details-en-wide.png", full_page=True)

    page.get_by_label("Your date of birth").fill("1990-04-25")
    page.get_by_role("button", name="Check my details").click()
    expect(page.get_by_role("heading", name="Thank you, that is confirmed")).to_be_visible()
    assert DataRequest.objects.get().verification == "details"


def test_an_agent_attaches_signed_permission_and_the_person_is_asked_to_confirm(
    a11y_page: Page, site: str, smtp_sink: SmtpSink, axe_source: str, screenshot_folder: Path
) -> None:
    page = a11y_page
    page.goto(f"{site}/privacy/request/")
    page.get_by_label("What kinds of information you hold about me").check()
    page.get_by_label("The state you live in").select_option("CO")
    page.get_by_label("Your email address", exact=True).fill("rosa@example.com")
    page.get_by_text("Asking for someone else?").click()
    page.get_by_label("I am an authorised agent asking for the person named above").check()
    page.get_by_label("Your name or your business's name").fill("Privacy Helpers LLC")
    page.get_by_label("Your email address, as their agent").fill("ana@helpers.example")
    page.get_by_role("button", name="Send my request").click()
    expect(
        page.get_by_text("An authorised agent must attach the person's signed permission.")
    ).to_be_visible()
    assert DataRequest.objects.count() == 0
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "privacy-request-agent-en-wide.png", full_page=True)

    page.get_by_label(
        "Signed permission (agent) or proof you are the child's parent or guardian"
    ).set_input_files(
        {"name": "permission.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 signed"}
    )
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", name="We have your request")).to_be_visible()
    request = DataRequest.objects.get()
    assert (request.agent, request.document_type) == (
        "Privacy Helpers LLC\nana@helpers.example",
        "application/pdf",
    )
    assert {message["To"] for message in smtp_sink.wait_for(2)} == {"rosa@example.com"}


def test_the_form_speaks_spanish_down_to_the_state_names(
    a11y_page: Page, site: str, axe_source: str, screenshot_folder: Path
) -> None:
    page = a11y_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site}/privacy/request/")
    page.get_by_role("button", name="Español").click()
    options = page.get_by_label("El estado donde vive").locator("option").all_inner_texts()
    assert options.index("Nueva York") < options.index("Nuevo Hampshire") < options.index("Texas")
    assert "Carolina del Norte" in options
    assert "North Carolina" not in options
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "privacy-request-es-narrow.png", full_page=True)


def test_the_officer_works_the_queue_and_reads_the_report_and_the_yearly_figures(
    a11y_page: Page, site: str, smtp_sink: SmtpSink, screenshot_folder: Path, axe_source: str
) -> None:
    """Screens for the closing note: the queue, one request, a report and last year's figures."""
    page = a11y_page

    today = timezone.localdate()
    last_year = date(today.year - 1, 3, 2)
    for number, (kind, state) in enumerate(
        [("access", "CA"), ("delete", "VA"), ("know", "CO"), ("delete", "TX"), ("access", "NY")]
    ):
        account = make_account(email=f"patient{number}@example.com")
        opened = open_request(
            kind=kind,
            email=account.email,
            state=state,
            today=last_year + timedelta(days=number * 9),
            channel=Channel.ACCOUNT,
            signed_in_person=account.person,
        ).request
        decided = last_year + timedelta(days=number * 9 + 3 + number * 4)
        if number == 3:
            deny_request(request=opened, reason="Records we must keep.", today=decided)
        else:
            fulfil_request(request=opened, today=decided)
    make_account(email="rosa@example.com")
    for days_ago, kind, state, email in [
        (50, "access", "CA", "rosa@example.com"),
        (30, "delete", "VA", "lena@example.com"),
        (3, "correct", "CO", "sam@example.com"),
        (1, "know", "OR", "kim@example.com"),
    ]:
        open_request(
            kind=kind,
            email=email,
            state=state,
            today=today - timedelta(days=days_ago),
            channel=Channel.EMAIL,
            details="My surname is misspelt." if kind == "correct" else "",
        )

    sign_in_as_officer(page, site)
    page.goto(f"{site}/console/requests/")
    expect(page.get_by_role("heading", name="Privacy requests")).to_be_visible()
    page.screenshot(path=screenshot_folder / "console-requests-queue.png", full_page=True)
    first = DataRequest.objects.filter(closed_on__isnull=True).order_by("due_on").first()
    assert first is not None
    page.get_by_role("link", name=first.reference).click()
    page.screenshot(path=screenshot_folder / "console-request-detail.png", full_page=True)

    page.goto(f"{site}/privacy/requests-report/")
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "privacy-requests-report.png", full_page=True)

    report = DataRequest.objects.filter(kind="access", report_sealed__isnull=False).first()
    assert report is not None
    assert report.report is not None
    html = zipfile.ZipFile(io.BytesIO(report.report)).read("report.html").decode()
    page.set_content(html)
    page.screenshot(path=screenshot_folder / "access-report.png", full_page=True)


def test_staff_apply_a_correction_and_the_person_sees_it_on_their_account(
    browser: Browser, site: str, smtp_sink: SmtpSink, screenshot_folder: Path
) -> None:

    make_account(email="rosa@example.com", verified=True)
    person = browser.new_context(user_agent=DESKTOP_CHROME).new_page()
    person.goto(f"{site}/accounts/login/")
    person.get_by_label("Email").fill("rosa@example.com")
    person.get_by_label("Password").fill(PASSWORD)
    person.get_by_role("button", name="Sign in").click()
    person.goto(f"{site}/privacy/request/")
    person.get_by_label("Correct my information").check()
    person.get_by_label("Name", exact=True).check()
    person.get_by_label("The state you live in").select_option("CA")
    person.get_by_label("Your email address", exact=True).fill("rosa@example.com")
    person.get_by_label("Anything we should know").fill("My name is Rosa María Delgado.")
    person.get_by_role("button", name="Send my request").click()
    expect(person.get_by_role("heading", name="We have your request")).to_be_visible()
    reference = DataRequest.objects.get().reference

    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_as_officer(staff, site)
    staff.goto(f"{site}/console/requests/{reference}/")
    expect(staff.get_by_text("We hold now: Rosa Delgado")).to_be_visible()
    staff.get_by_label("New name").fill("Rosa María Delgado")
    staff.screenshot(path=screenshot_folder / "console-correction.png", full_page=True)
    staff.get_by_role("button", name="Correct and close the request").click()
    expect(staff.get_by_text("Corrected; the person has been emailed.")).to_be_visible()

    told = next(m for m in smtp_sink.wait_for(2) if "We corrected your information" in m["Subject"])
    assert "- Name" in told.get_content()
    person.goto(f"{site}/accounts/profile/")
    expect(person.get_by_label("Full name")).to_have_value("Rosa María Delgado")
