"""The banner, the choices and Global Privacy Control in a real browser."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from goodskin.consent.models import ConsentRecord
from goodskin.tracking.models import PageEvent
from tests.gpp_reference import Reference, start_reference


@pytest.fixture(scope="module")
def reference() -> Iterator[Reference]:
    bridge = start_reference()
    yield bridge
    bridge.close()


def test_first_visit_shows_the_banner_and_requests_nothing_from_elsewhere(
    page: Page, site: str
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site + "/")
    banner = page.get_by_role("region", name="Your privacy choices")
    expect(banner).to_be_visible()
    accept = banner.get_by_role("button", name="Accept all")
    reject = banner.get_by_role("button", name="Reject all")
    assert accept.bounding_box()["height"] == reject.bounding_box()["height"]  # type: ignore[index]
    assert accept.evaluate("e => getComputedStyle(e).backgroundColor") == reject.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    page.wait_for_load_state("networkidle")
    origin = urlsplit(site).netloc
    assert [url for url in requested if urlsplit(url).netloc != origin] == []


def test_reject_all_closes_the_banner_in_place_and_sets_no_optional_cookie(
    page: Page, site: str
) -> None:
    page.goto(site + "/services/")
    page.get_by_role("button", name="Reject all").click()
    expect(page.get_by_role("region", name="Your privacy choices")).to_have_count(0)
    assert page.url == site + "/services/"
    names = sorted(cookie["name"] for cookie in page.context.cookies())
    assert names == ["csrftoken", "gs_consent"]
    record = ConsentRecord.objects.get()
    assert (record.source, record.analytics, record.marketing) == ("banner", False, False)
    page.reload()
    expect(page.get_by_role("region", name="Your privacy choices")).to_have_count(0)


def test_after_reject_all_the_choice_is_announced_and_focus_goes_on_to_the_page(
    page: Page, site: str
) -> None:
    page.goto(site + "/services/")
    page.get_by_role("button", name="Reject all").click()
    expect(page.get_by_role("status").filter(has_text="Your choice is saved")).to_have_text(
        "Your choice is saved: only the cookies the site needs. You can change it from Your "
        "Privacy Choices."
    )
    assert page.evaluate("document.activeElement.id") == "main"


def test_after_a_form_error_focus_starts_at_the_list_of_what_to_fix(page: Page, site: str) -> None:
    page.goto(site + "/contact/")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')") is True
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"


@pytest.mark.parametrize("language", ["en", "es"])
def test_on_a_phone_the_banner_keeps_every_word_in_a_third_of_the_screen(
    browser: Browser, site: str, language: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    page = context.new_page()
    page.goto(site + "/")
    banner = page.locator("[data-consent-banner]")
    height = banner.evaluate("element => element.getBoundingClientRect().height")
    buttons = banner.get_by_role("button").all()
    context.close()
    assert height <= 844 / 3, f"the banner takes {height:.0f} px of 844"
    assert len(buttons) == 2  # Accept all and Reject all, equally prominent, both on screen


def test_the_banner_works_without_javascript(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/team/")
    page.get_by_role("button", name="Accept all").click()
    assert page.url == site + "/team/"
    expect(page.get_by_role("region", name="Your privacy choices")).to_have_count(0)
    assert ConsentRecord.objects.get().marketing is True
    context.close()


def test_gpc_is_honoured_shown_and_sent_on_to_tag_vendors(
    browser: Browser, site: str, reference: Reference
) -> None:
    context = browser.new_context(extra_http_headers={"Sec-GPC": "1"})
    page = context.new_page()
    page.goto(site + "/")
    expect(page.get_by_text("We received your Global Privacy Control signal")).to_be_visible()
    record = ConsentRecord.objects.get()
    assert (record.source, record.gpc, record.marketing) == ("gpc", True, False)

    gpp_string = page.evaluate(
        "() => fetch('/api/v1/consent').then(r => r.json()).then(c => c.gpp)"
    )
    usnat = reference.ask({"decode": gpp_string})["usnat"]
    assert (usnat["SaleOptOut"], usnat["SharingOptOut"], usnat["TargetedAdvertisingOptOut"]) == (
        1,
        1,
        1,
    )
    assert usnat["Gpc"] is True
    ping = page.evaluate(
        "() => new Promise(resolve => window.__gpp('ping', data => resolve(data)))"
    )
    assert ping["gppString"] == gpp_string
    assert ping["applicableSections"] == [7, 8]
    field = page.evaluate(
        "() => new Promise(resolve => window.__gpp('getField', v => resolve(v), 'usnat.Gpc'))"
    )
    assert field is True
    consent_mode = page.evaluate("() => window.dataLayer[0][2]")
    assert consent_mode["ad_storage"] == "denied"
    context.close()


def test_choices_page_shows_marketing_locked_off_under_gpc(browser: Browser, site: str) -> None:
    context = browser.new_context(extra_http_headers={"Sec-GPC": "1"})
    page = context.new_page()
    page.goto(site + "/privacy/choices/")
    expect(page.get_by_label("Marketing")).to_be_disabled()
    expect(page.get_by_label("Marketing")).not_to_be_checked()
    page.get_by_label("Analytics").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your choices are saved.")).to_be_visible()
    saved = ConsentRecord.objects.order_by("-pk").first()
    assert saved is not None
    assert (saved.source, saved.analytics, saved.marketing) == ("choices_page", True, False)
    context.close()


def test_after_reject_all_page_views_are_counted_without_any_cookie(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.get_by_role("button", name="Reject all").click()
    expect(page.get_by_role("region", name="Your privacy choices")).to_have_count(0)
    page.goto(site + "/services/")
    page.get_by_role("link", name="Book a consultation").first.click()
    expect(page.get_by_role("heading", name="Book a consultation")).to_be_visible()
    page.wait_for_load_state("networkidle")
    events = list(
        PageEvent.objects.order_by("pk").values_list("kind", "path", "consented", "visitor")
    )
    assert [(kind, path) for kind, path, _, _ in events] == [
        ("page_view", "/"),
        ("page_view", "/services/"),
        ("book_click", "/services/"),
        ("page_view", "/consultation/"),
    ]
    assert {consented for _, _, consented, _ in events} == {False}
    assert all(visitor.startswith("d") for _, _, _, visitor in events)
    assert sorted(cookie["name"] for cookie in page.context.cookies()) == [
        "csrftoken",
        "gs_consent",
    ]


def test_after_accept_all_the_visitor_gets_one_first_party_id(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.get_by_role("button", name="Accept all").click()
    expect(page.get_by_role("region", name="Your privacy choices")).to_have_count(0)
    page.goto(site + "/team/")
    page.wait_for_load_state("networkidle")
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert sorted(cookies) == ["csrftoken", "gs_consent", "gs_vid"]
    assert cookies["gs_vid"]["httpOnly"] is True
    last = PageEvent.objects.order_by("-pk").first()
    assert last is not None
    assert (last.path, last.consented, last.visitor) == ("/team/", True, cookies["gs_vid"]["value"])


def test_a_browser_that_only_tells_scripts_about_gpc_is_honoured_too(
    browser: Browser, site: str
) -> None:
    context = browser.new_context()
    context.add_init_script(
        "Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})"
    )
    page = context.new_page()
    with page.expect_response("**/privacy/gpc/") as answer:
        page.goto(site + "/")
    assert answer.value.json() == {"recorded": True}
    record = ConsentRecord.objects.get()
    assert (record.source, record.marketing) == ("gpc", False)
    context.close()
