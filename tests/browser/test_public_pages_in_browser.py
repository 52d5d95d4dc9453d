"""Every public page in Chromium: no serious accessibility faults, no request to any other origin,
usable by keyboard; screenshots saved for people to look at."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import serious_accessibility_violations

PAGES = {
    "home": "/",
    "services": "/services/",
    "team": "/team/",
    "clinics": "/clinics/",
    "contact": "/contact/",
    "consultation": "/consultation/",
    "privacy": "/privacy/",
    "privacy-choices": "/privacy/choices/",
    "state-notice": "/privacy/state-notice/",
    "register": "/accounts/register/",
    "login": "/accounts/login/",
    "password-reset": "/accounts/password/reset/",
}
VIEWPORTS: dict[str, ViewportSize] = {
    "wide": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_public_pages_have_no_serious_accessibility_violations(
    browser: Browser, site: str, axe_source: str, screenshot_folder: Path, language: str
) -> None:
    failures = {}
    for viewport_name, viewport in VIEWPORTS.items():
        # axe is injected as a script, which our CSP forbids; only this audit context bypasses it.
        context = browser.new_context(viewport=viewport, bypass_csp=True, locale=language)
        context.add_cookies([{"name": "django_language", "value": language, "url": site}])
        page = context.new_page()
        for name, path in PAGES.items():
            page.goto(site + path)
            assert page.locator("html").get_attribute("lang") == language
            page.screenshot(
                path=screenshot_folder / f"{name}-{language}-{viewport_name}.png", full_page=True
            )
            result = serious_accessibility_violations(page, axe_source)
            if result:
                failures[f"{path} ({language}, {viewport_name})"] = result
        context.close()
    assert failures == {}


def test_first_visit_sends_no_request_to_any_other_origin(page: Page, site: str) -> None:
    origin = urlsplit(site).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGES.values():
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
    foreign = [
        url for url in requested if urlsplit(url).netloc != origin and not url.startswith("data:")
    ]
    assert len(requested) >= len(PAGES) * 3  # pages, stylesheet, icon: the recorder really ran
    assert foreign == []


def test_keyboard_user_can_skip_to_the_main_content(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_pages_are_served_with_a_strict_content_security_policy(page: Page, site: str) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(site + "/")
    assert response is not None
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_visitor_finds_the_nearest_clinic_with_their_permission(
    browser: Browser, site: str
) -> None:
    context = browser.new_context(
        geolocation={"latitude": 34.0907, "longitude": -118.2801}, permissions=["geolocation"]
    )
    page = context.new_page()
    page.goto(site + "/clinics/")
    page.get_by_role("button", name="Find the clinic nearest me").click()
    expect(page.get_by_role("status").filter(has_text="nearest clinic")).to_have_text(
        "The nearest clinic is GoodSkin Silver Lake, about 0.5 km away."
    )
    context.close()
