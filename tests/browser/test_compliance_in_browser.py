"""The compliance page in a real browser: the officer runs the checks, reads each clause beside
its checks with failures first, and the page fits a phone and passes the accessibility audit."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from goodskin.compliance.crawler import PAGES, STATES
from goodskin.compliance.evidence import problems
from goodskin.compliance.registry import CHECKS
from tests.browser.conftest import serious_accessibility_violations
from tests.browser.test_retention_and_disclosures_in_browser import sign_in_as_officer

pytestmark = pytest.mark.django_db(transaction=True)
QUICK = [name for name, check in CHECKS.items() if not check.slow]
CRAWL = "pages_set_only_declared_cookies_and_load_nothing_from_elsewhere"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_officer_runs_the_checks_and_reads_every_clause_beside_its_evidence(
    browser: Browser, site: str, width: int, screenshot_folder: Path, axe_source: str
) -> None:
    # axe is injected as a script, which the page's own policy would refuse.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    sign_in_as_officer(page, site)
    page.goto(f"{site}/console/compliance/")
    expect(page.get_by_text("The checks have not run yet.")).to_be_visible()

    page.get_by_role("button", name="Run the checks now").click()

    expect(page.get_by_text(f"Checked: {len(QUICK)} of {len(QUICK)} passed.")).to_be_visible()
    expect(  # the cookie clause waits for the nightly browser crawl
        page.get_by_role("heading", name="Privacy Policy version 1: 14 of 20 clauses verified")
    ).to_be_visible()
    rows = page.locator("tr[data-clause]")
    expect(rows).to_have_count(37)
    use3 = page.locator('tr[data-clause="privacy:use-3"]')
    expect(use3).to_contain_text("no_marketing_without_a_choice_to_receive_it — passed")
    expect(use3.locator("svg.trend rect")).to_have_count(1)
    expect(page.locator('tr[data-clause="privacy:who-1"]')).to_contain_text(
        "It says who runs the clinic"
    )
    page.screenshot(path=screenshot_folder / f"console-compliance-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_accessibility_violations(page, axe_source) == []
    context.close()


def test_the_auditor_downloads_an_evidence_pack_whose_signature_verifies(
    browser: Browser, site: str, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in_as_officer(page, site)
    page.goto(f"{site}/console/compliance/")
    page.get_by_role("button", name="Run the checks now").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the signed pack").click()
    archive = tmp_path / "pack.zip"
    download.value.save_as(archive)
    context.close()
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path / "pack")
    (folder,) = list((tmp_path / "pack").iterdir())
    assert problems(folder) == []
    pack = json.loads((folder / "pack.json").read_text())
    assert {line["check"]: line["passed"] for line in pack["checks"]} == {
        name: 0 if check.slow else 1 for name, check in CHECKS.items()
    }


def test_the_crawl_opens_every_page_in_each_consent_state_and_finds_only_what_is_declared() -> None:
    outcome = CHECKS[CRAWL].run(timezone.now())
    assert outcome.passed, f"{CRAWL}: {outcome.evidence}"
    assert outcome.evidence["pages_opened"] == len(PAGES) * len(STATES)
    assert (outcome.evidence["other_origins"], outcome.evidence["undeclared"]) == (0, 0)
