"""The policies in a real browser: the page that governs the reader, the notice of a material
change, accepting it, every version with its diff, and the officer's console."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from goodskin.accounts.tests.conftest import PASSWORD, make_account
from goodskin.policies.actions import save_draft
from goodskin.policies.models import PolicyVersion
from goodskin.policies.tests.conftest import publish_material
from tests.browser.conftest import DESKTOP_CHROME, serious_accessibility_violations
from tests.browser.test_retention_and_disclosures_in_browser import sign_in_as_officer

NEW_WORDS = "We keep consultation notes for seven years, as California requires of medical records."


@pytest.fixture
def a11y_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(bypass_csp=True, user_agent=DESKTOP_CHROME)
    yield context.new_page()
    context.close()


def material_change() -> PolicyVersion:
    content = copy.deepcopy(PolicyVersion.objects.get(document="privacy", number=1).content)
    retention = next(s for s in content if s["key"] == "retention-security")
    retention["clauses"][0]["text"] = {
        "en": NEW_WORDS,
        "es": "Guardamos las notas de consulta siete años, como exige California.",
    }
    draft = save_draft(
        document="privacy",
        content=content,
        summary={
            "en": "We now keep consultation notes for seven years.",
            "es": "Ahora guardamos las notas de consulta siete años.",
        },
    )
    return publish_material(draft, "A longer retention period for notes")


def test_a_patient_sees_the_upcoming_change_reads_the_diff_and_accepts_it(
    a11y_page: Page, site: str, axe_source: str, screenshot_folder: Path
) -> None:
    page = a11y_page
    make_account(email="rosa@example.com", verified=True)
    new = material_change()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{site}/privacy/")
    expect(page.get_by_role("heading", name="Upcoming changes: version 2")).to_be_visible()
    expect(page.get_by_text(NEW_WORDS)).to_have_count(0)
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "privacy-upcoming-en-wide.png", full_page=False)

    page.get_by_role("link", name="Read the new version and exactly what changed").click()
    expect(page.get_by_role("heading", name="What changed since version 1")).to_be_visible()
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "privacy-version-diff-en-wide.png", full_page=False)

    page.goto(f"{site}/privacy/")
    page.get_by_role("button", name="Accept the new version now").click()
    expect(page.get_by_text("Thank you: the new version applies to you from now.")).to_be_visible()
    expect(page.get_by_text(NEW_WORDS)).to_be_visible()
    expect(page.get_by_text(f"Version {new.number}, in force since")).to_be_visible()


def test_the_state_notice_and_the_versions_list_in_spanish_on_a_phone(
    a11y_page: Page, site: str, axe_source: str, screenshot_folder: Path
) -> None:
    page = a11y_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site}/privacy/state-notice/")
    page.get_by_role("button", name="Español").click()
    expect(
        page.get_by_role("heading", name="La ley de su estado y nuestros plazos")
    ).to_be_visible()
    assert serious_accessibility_violations(page, axe_source) == []
    page.screenshot(path=screenshot_folder / "state-notice-es-narrow.png", full_page=True)
    page.locator("#rights-by-state").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_folder / "state-notice-rights-es-narrow.png")
    page.goto(f"{site}/privacy/versions/")
    expect(page.get_by_role("heading", name="Versiones de nuestras políticas")).to_be_visible()
    assert serious_accessibility_violations(page, axe_source) == []


def test_the_officer_sees_notices_going_out_and_looks_up_who_was_governed_by_what(
    a11y_page: Page, site: str, screenshot_folder: Path
) -> None:

    page = a11y_page
    for number in range(3):
        make_account(email=f"patient{number}@example.com", verified=True)
    material_change()
    sign_in_as_officer(page, site)
    page.goto(f"{site}/console/policies/")
    expect(page.get_by_role("heading", name="Pending notices of material changes")).to_be_visible()
    page.screenshot(path=screenshot_folder / "console-policies.png", full_page=True)
    page.get_by_role("button", name="Start a draft from v1").first.click()
    expect(
        page.get_by_role("heading", name="Draft of the State Privacy Notice")
        .or_(page.get_by_text("Section"))
        .first
    ).to_be_visible()
    page.screenshot(path=screenshot_folder / "console-policy-editor.png", full_page=False)
