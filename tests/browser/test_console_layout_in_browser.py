"""The console fits the screens staff use: at 1280 px the home lists each tool's name on one
line and the data map needs no sideways scrolling; on a phone nothing widens the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.test_retention_and_disclosures_in_browser import sign_in_as_officer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_console_home_and_data_map_fit_the_screen_in_english_whatever_the_switch(
    browser: Browser, site: str, width: int, language: str, screenshot_folder: Path
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in_as_officer(page, site)
    context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    page.goto(f"{site}/console/")
    assert page.locator("html").get_attribute("lang") == "en"  # the console is English only
    page.screenshot(path=screenshot_folder / f"console-home-{language}-{width}.png", full_page=True)
    link = page.get_by_role("link", name="Retention and legal holds")
    line_height = link.evaluate("element => parseFloat(getComputedStyle(element).lineHeight)")
    link_height = link.evaluate("element => element.getBoundingClientRect().height")
    home_width = page.evaluate("document.documentElement.scrollWidth")
    page.goto(f"{site}/console/data-map/")
    map_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert link_height < 1.5 * line_height, "a tool's name should sit on one line"
    assert home_width <= width
    assert map_width <= width
