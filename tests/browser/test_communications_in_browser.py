"""Messages in a real browser: choosing what to get, reading a marketing email as sent, leaving
it with the button at the bottom, reading notices, and staff watching a campaign go out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import PASSWORD
from goodskin.communications.actions.campaigns import (
    queue_campaign_batch,
    save_campaign,
    schedule_campaign,
)
from goodskin.communications.actions.choices import set_choices
from goodskin.communications.actions.notices import post_notice
from goodskin.communications.models import Campaign, Source
from goodskin.communications.queries import choices_for
from goodskin.core.smtp_sink import SmtpSink
from goodskin.vault.models import Person
from tests.browser.conftest import (
    DESKTOP_CHROME,
    serious_accessibility_violations,
    sign_in_to_console,
)

VERIFIED = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def a11y_page(browser: Browser) -> Iterator[Page]:
    """A page that lets axe-core's injected script run despite the site's strict CSP."""
    context = browser.new_context(bypass_csp=True, user_agent=DESKTOP_CHROME)
    yield context.new_page()
    context.close()


def account(email: str = "rosa@example.com", *, staff: bool = False) -> User:
    user = User.objects.create_user(
        email,
        PASSWORD,
        full_name="Rosa Delgado",
        preferred_language="en",
        is_staff=staff,
        is_superuser=staff,
    )
    User.objects.filter(pk=user.pk).update(email_verified_at=VERIFIED)
    Person.objects.filter(pk=user.person_id).update(email_verified_at=VERIFIED)
    user.refresh_from_db()
    return user


def sign_in(page: Page, site: str, email: str = "rosa@example.com") -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()


def winter_offer() -> Campaign:
    return save_campaign(
        campaign=Campaign(
            name="Winter glow",
            topic="offers",
            channel="email",
            subject_en="Winter glow: 20% off hydrating facials",
            body_en=(
                "Cold, dry air is hard on skin. Until 31 December, our hydrating facials are "
                "20% off at both clinics.\n\nBook online or call us; our aestheticians will "
                "suggest the treatment that suits your skin."
            ),
            subject_es="Brillo de invierno: 20% en faciales hidratantes",
            body_es=(
                "El aire frío y seco castiga la piel. Hasta el 31 de diciembre, nuestros "
                "faciales hidratantes tienen un 20% de descuento en ambas clínicas.\n\nReserve "
                "en línea o llámenos."
            ),
        )
    )


def test_a_person_switches_on_offers_in_the_account_and_the_choice_is_kept(
    a11y_page: Page, site: str, axe_source: str, screenshot_folder: Path
) -> None:
    page = a11y_page
    rosa = account()
    sign_in(page, site)
    page.get_by_role("link", name="Choose what we send you").click()
    expect(page.get_by_role("heading", name="My messages")).to_be_visible()
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "messages-preferences-en-wide.png", full_page=True)

    page.get_by_label("Offers and events · Email").check()
    page.get_by_label("Your clinic").select_option(label="GoodSkin Brentwood")
    page.get_by_role("button", name="Save my choices").click()

    expect(page.get_by_text("Your choices are saved. They apply from now on.")).to_be_visible()
    expect(page.get_by_label("Offers and events · Email")).to_be_checked()
    assert choices_for(rosa.person)[("offers", "email")] is True
    page.set_viewport_size({"width": 390, "height": 844})
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "messages-preferences-en-narrow.png", full_page=True)


def test_a_marketing_email_reads_well_and_its_unsubscribe_button_works(
    browser: Browser, site: str, smtp_sink: SmtpSink, axe_source: str, screenshot_folder: Path
) -> None:
    rosa = account()
    set_choices(person=rosa.person, choices={("offers", "email"): True}, source=Source.ACCOUNT)
    offer = winter_offer()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    queue_campaign_batch(campaign_id=offer.pk)
    [message] = smtp_sink.wait_for(1)
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]  # sent with HTML

    inbox = browser.new_page(viewport={"width": 700, "height": 900})
    inbox.set_content(html)
    expect(
        inbox.get_by_role("heading", name="Winter glow: 20% off hydrating facials")
    ).to_be_visible()
    expect(inbox.get_by_role("link", name="Unsubscribe")).to_be_visible()
    assert serious_accessibility_violations(inbox, axe_source) == []
    inbox.screenshot(path=screenshot_folder / "marketing-email-en.png", full_page=True)
    headers = "\n".join(
        f"{name}: {message[name]}"
        for name in (
            "From",
            "To",
            "Subject",
            "Message-ID",
            "List-Id",
            "List-Unsubscribe",
            "List-Unsubscribe-Post",
        )
    )
    (screenshot_folder / "marketing-email-en-headers.txt").write_text(headers + "\n")

    unsubscribe_url = re.search(r"<(http[^>]+)>", message["List-Unsubscribe"]).group(1)  # type: ignore[union-attr]  # present
    context = browser.new_context(bypass_csp=True, user_agent=DESKTOP_CHROME)
    page = context.new_page()
    page.goto(unsubscribe_url)
    expect(
        page.get_by_text("Stop getting “Offers and events” from GoodSkin Clinics?")
    ).to_be_visible()
    assert choices_for(rosa.person)[("offers", "email")] is True  # opening is not unsubscribing
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "unsubscribe-en-wide.png", full_page=True)

    page.get_by_role("button", name="Unsubscribe", exact=True).click()

    expect(
        page.get_by_text("Done: you will get no more “Offers and events” messages")
    ).to_be_visible()
    assert choices_for(rosa.person)[("offers", "email")] is False
    offer.refresh_from_db()
    assert offer.unsubscribed == 1


def test_a_notice_appears_in_the_header_and_is_marked_read(
    a11y_page: Page, site: str, axe_source: str, screenshot_folder: Path
) -> None:
    page = a11y_page
    rosa = account()
    post_notice(
        person=rosa.person,
        kind="policy",
        title="Our privacy policy is changing",
        body="We are adding a section on text messages. The new version applies from 29 December; "
        "until then the current one applies to you.",
        link="/privacy/",
    )
    sign_in(page, site)
    page.get_by_role("link", name="Notices 1 unread").click()
    expect(page.get_by_role("heading", name="Our privacy policy is changing")).to_be_visible()
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "notices-en-wide.png", full_page=True)

    page.get_by_role("button", name="Mark as read").click()

    expect(page.get_by_text(re.compile(r"^Read [A-Z][a-z]{2}"))).to_be_visible()
    expect(page.get_by_role("link", name="Notices 1 unread")).to_have_count(0)


def test_staff_watch_a_campaign_go_out_in_the_console(
    page: Page, site: str, smtp_sink: SmtpSink, screenshot_folder: Path
) -> None:
    account("staff@goodskinclinics.com", staff=True)
    for name in ("ana", "ben", "cai", "dee"):
        someone = account(f"{name}@example.com")
        set_choices(
            person=someone.person, choices={("offers", "email"): True}, source=Source.ACCOUNT
        )
    someone = User.objects.get(email="dee@example.com")
    offer = winter_offer()
    sign_in_to_console(page, site, "staff@goodskinclinics.com", PASSWORD)
    page.goto(f"{site}/console/campaigns/{offer.pk}/")
    expect(page.get_by_text("Audience if sent now")).to_be_visible()
    page.screenshot(path=screenshot_folder / "console-campaign-draft.png", full_page=True)
    set_choices(person=someone.person, choices={("offers", "email"): False}, source=Source.ACCOUNT)
    page.reload()  # Dee opted out while the draft was open: the audience shrinks with her
    expect(page.locator(".stats")).to_contain_text("Audience if sent now3")

    page.get_by_role("button", name="Schedule").click()

    expect(page.get_by_text("Scheduled. Progress shows below.")).to_be_visible()
    smtp_sink.wait_for(3)
    page.reload()
    expect(page.locator("#progress-percent")).to_have_text("100%")
    legend = page.locator(".legend")
    expect(legend.get_by_text("Sent: 3")).to_be_visible()
    expect(legend.get_by_text("Waiting: 0")).to_be_visible()
    expect(page.locator(".stats")).to_contain_text("Audience when scheduled3")
    page.screenshot(path=screenshot_folder / "console-campaign-sent.png", full_page=True)

    page.goto(f"{site}/console/messages/")
    expect(page.get_by_role("heading", name="Interrupted messages")).to_be_visible()
    page.get_by_label("Email address the person asked us to stop marketing to").fill(
        "ana@example.com"
    )
    page.get_by_role("button", name="Record opt-out").click()
    expect(page.get_by_text("Recorded: that address gets no more marketing")).to_be_visible()
    page.screenshot(path=screenshot_folder / "console-messages.png", full_page=True)
