"""A person using the account pages in a real browser, with mail arriving at a real SMTP server."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from goodskin.accounts.models import User
from goodskin.core.smtp_sink import SmtpSink
from goodskin.submissions.models import ConsultationRequest
from tests.browser.conftest import serious_accessibility_violations

PASSWORD = "Lavender-Harbour-42"


def link_in(message_body: str) -> str:
    match = re.search(r"(http://\S+)", message_body)
    assert match, message_body
    return match.group(1)


def eighteen_years_ago(*, plus_days: int = 0) -> str:
    today = timezone.localdate()  # the clinic's date, in Los Angeles, as the server judges it
    born = today.replace(year=today.year - 18)
    return (born + timedelta(days=plus_days)).isoformat()


def fill_registration(page: Page, site: str, *, born: str, email: str = "rosa@example.com") -> None:
    page.goto(f"{site}/accounts/register/")
    page.get_by_label("Full name").fill("Rosa Delgado")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Date of birth").fill(born)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_adult_registers_confirms_the_email_and_signs_in(
    page: Page, site: str, smtp_sink: SmtpSink
) -> None:
    fill_registration(page, site, born="1990-04-25")
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    [message] = smtp_sink.wait_for(1)
    page.goto(link_in(message.get_content()))
    page.get_by_role("button", name="Confirm my email address").click()
    expect(
        page.get_by_role("heading", name="Thank you, your email address is confirmed")
    ).to_be_visible()

    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    expect(page.get_by_text("confirmed", exact=True)).to_be_visible()
    assert User.objects.get().email_verified_at is not None


def test_person_who_is_exactly_eighteen_today_is_accepted(page: Page, site: str) -> None:
    fill_registration(page, site, born=eighteen_years_ago())
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    assert User.objects.count() == 1


def test_seventeen_year_old_is_refused_kindly_and_nothing_is_stored(
    page: Page, site: str, smtp_sink: SmtpSink
) -> None:
    fill_registration(page, site, born=eighteen_years_ago(plus_days=1), email="teen@example.com")
    expect(
        page.get_by_role("heading", name="We're sorry, we can't create an account for you")
    ).to_be_visible()
    expect(page.get_by_text("We have not kept any of the details you entered.")).to_be_visible()
    assert page.get_by_label("Email").count() == 0  # no form to retry straight away
    assert User.objects.count() == 0
    assert smtp_sink.messages == []


def test_forgotten_password_is_reset_through_the_email_that_arrives(
    page: Page, site: str, smtp_sink: SmtpSink
) -> None:
    User.objects.create_user(
        "rosa@example.com",
        "Old-Password-Blue-9",
        full_name="Rosa Delgado",
        date_of_birth=date(1990, 4, 25),
    )
    page.goto(f"{site}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    [message] = smtp_sink.wait_for(1)
    assert message["Subject"] == "Reset your GoodSkin password"
    page.goto(link_in(message.get_content()))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert "/set-password/" in page.url  # the token has left the address bar
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()

    page.get_by_role("link", name="Sign in").last.click()
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    assert smtp_sink.wait_for(2)[1]["Subject"] == "Your GoodSkin password was changed"


def test_visitor_switches_the_site_to_spanish(page: Page, site: str) -> None:
    page.goto(f"{site}/services/")
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Tratamientos", exact=True)).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Treatments", exact=True)).to_be_visible()


def test_signed_in_pages_have_no_serious_accessibility_violations(
    browser: Browser, site: str, axe_source: str, screenshot_folder: Path
) -> None:
    User.objects.create_user(
        "rosa@example.com", PASSWORD, full_name="Rosa Delgado", date_of_birth=date(1990, 4, 25)
    )
    context = browser.new_context(
        bypass_csp=True
    )  # axe is injected as a script; see the public test
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill("wrong-password-1")
    page.get_by_role("button", name="Sign in").click()
    failures = {"login with error": serious_accessibility_violations(page, axe_source)}
    page.screenshot(path=screenshot_folder / "login-error-en-wide.png", full_page=True)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for name, path in {
        "profile": "/accounts/profile/",
        "password-change": "/accounts/password/",
        "close": "/accounts/close/",
    }.items():
        page.goto(site + path)
        page.screenshot(path=screenshot_folder / f"{name}-en-wide.png", full_page=True)
        failures[name] = serious_accessibility_violations(page, axe_source)
    context.close()
    assert {name: found for name, found in failures.items() if found} == {}


def test_visitor_books_a_consultation_and_is_warned_about_a_card_number(
    page: Page, site: str, smtp_sink: SmtpSink
) -> None:
    page.goto(site + "/")
    page.get_by_role("link", name="Book a consultation").first.click()
    page.get_by_label("Full name").fill("Rosa Delgado")
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Phone").fill("(310) 206-1234")
    page.get_by_label("Treatment you're interested in").select_option(
        label="Signature hydrating facial"
    )
    page.get_by_label("Preferred clinic").select_option(label="GoodSkin Silver Lake")
    page.get_by_label("Anything we should know? (optional)").fill(
        "Deposit on card 4111 1111 1111 1111"
    )
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Thank you, we have your request")).to_be_visible()
    expect(page.get_by_text("We removed what looked like a card number")).to_be_visible()
    [message] = smtp_sink.wait_for(1)
    assert message["Subject"] == "We have your consultation request"

    assert ConsultationRequest.objects.get().message == "Deposit on card [removed]"
