"""The privacy officer runs a breach from discovery to closing report in a real browser."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from goodskin.core.smtp_sink import SmtpSink
from goodskin.incidents.actions import assess, notify_batch, open_incident
from goodskin.rights.actions.intake import open_request
from goodskin.rights.models import Channel
from goodskin.submissions.actions import submit_consultation
from goodskin.vault.actions import erase_person
from goodskin.vault.models import ErasureReason, Person
from tests.browser.conftest import DESKTOP_CHROME
from tests.browser.test_retention_and_disclosures_in_browser import sign_in_as_officer


@pytest.fixture
def a11y_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(bypass_csp=True, user_agent=DESKTOP_CHROME)
    yield context.new_page()
    context.close()


def patients_a_month_ago() -> None:
    with time_machine.travel(timezone.now() - timedelta(days=30), tick=False):
        for number, state in enumerate(["CA", "TX", "CO", "VA", "OR", None]):
            email = f"patient{number}@example.com"
            submit_consultation(
                full_name="A Patient",
                email=email,
                phone="+13105550100",
                treatment=None,
                clinic=None,
                preferred_time="any",
                message="redness",
                language="es" if state == "TX" else "en",
                client_address=f"192.0.2.{number + 1}",  # six people, six homes
                today=timezone.localdate(),
            )
            if state:
                open_request(
                    kind="opt_out",
                    email=email,
                    state=state,
                    today=timezone.localdate(),
                    channel=Channel.WEB,
                )


def test_the_officer_opens_assesses_delays_notifies_and_closes_an_incident(
    a11y_page: Page, site: str, smtp_sink: SmtpSink, screenshot_folder: Path
) -> None:

    page = a11y_page
    patients_a_month_ago()
    sign_in_as_officer(page, site)
    local = timezone.localtime()

    def moment(days_ago: int) -> str:
        return (local - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M")

    page.goto(f"{site}/console/incidents/new/")
    page.get_by_label("Short name").fill("Exposed consultation export")
    page.get_by_label("What happened").fill(
        "A staff export of consultation requests was left on a shared drive."
    )
    page.get_by_label("What we are doing").fill("We removed the file and locked the drive.")
    page.get_by_label("Discovered at").fill(moment(3))
    page.get_by_label("Exposure began").fill(moment(10))
    page.get_by_label("Exposure ended").fill(moment(20))  # before it began
    page.get_by_label("submissions.consultationrequest").check()
    page.get_by_role("button", name="Open the incident").click()
    expect(page.get_by_text("The window ends before it starts")).to_be_visible()
    page.get_by_label("Exposure began").fill(moment(40))
    page.get_by_label("Exposure ended").fill(moment(4))
    page.get_by_label("submissions.consultationrequest").check()
    page.get_by_role("button", name="Open the incident").click()

    page.get_by_role("button", name="Work out who is affected").click()
    expect(page.get_by_text("Assessed: 6 people affected.")).to_be_visible()
    page.get_by_label("Agency").fill("LAPD Cyber Crimes")
    page.get_by_label("Their reference").fill("24-0117")
    page.get_by_role("button", name="Record a request to delay").click()
    expect(page.get_by_role("button", name="Send the notices")).to_have_count(0)
    page.get_by_role("button", name="End it now").click()
    page.get_by_role("button", name="Send the notices").click()
    expect(page.get_by_text("6 emails queued")).to_be_visible()
    page.screenshot(path=screenshot_folder / "console-incident.png", full_page=True)
    breach = {"Notice of Data Breach", "Aviso de violación de datos"}
    smtp_sink.wait_for(6)
    notices = {m["To"]: m["Subject"] for m in smtp_sink.messages if m["Subject"] in breach}
    assert len(notices) == 6
    assert notices["patient1@example.com"] == "Aviso de violación de datos"  # wrote in Spanish

    page.get_by_label("What was done and learned").fill("Drive locked; staff retrained.")
    page.get_by_role("button", name="Close the incident").click()
    expect(page.get_by_role("heading", name="Closing report")).to_be_visible()
    expect(page.get_by_text("Affected: 6 people in 5 states.")).to_be_visible()


def test_a_breach_with_someone_we_cannot_reach_is_posted_on_the_home_and_privacy_pages(
    a11y_page: Page, site: str, screenshot_folder: Path
) -> None:

    page = a11y_page
    patients_a_month_ago()
    erase_person(
        person=Person.objects.get(email="patient5@example.com"),
        reason=ErasureReason.DELETION_REQUEST,
    )
    incident = open_incident(
        title="Exposed consultation export",
        description="A staff export of consultation requests was left on a shared drive.",
        description_es="Una exportación de solicitudes de consulta quedó en una unidad compartida.",
        actions_taken="We removed the file, locked the drive and are checking who opened it.",
        actions_taken_es="Quitamos el archivo, cerramos la unidad y revisamos quién lo abrió.",
        discovered_at=timezone.now() - timedelta(days=3),
        window_start=timezone.now() - timedelta(days=40),
        window_end=timezone.now() - timedelta(days=4),
        tables=["submissions.consultationrequest"],
    )
    assess(incident=incident)
    notify_batch(incident_id=incident.pk)

    for language, heading in (
        ("en", "Notice of Data Breach"),
        ("es", "Aviso de violación de datos"),
    ):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{site}/")
            notice = page.locator("aside.breach-posted")
            expect(notice).to_be_visible()
            expect(notice.get_by_role("heading", name=heading)).to_be_visible()
            page.screenshot(path=screenshot_folder / f"breach-posted-home-{language}-{width}.png")
        page.goto(f"{site}/privacy/")
        expect(page.locator("aside.breach-posted")).to_be_visible()
        page.locator("aside.breach-posted a").click()
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        page.screenshot(path=screenshot_folder / f"breach-notice-{language}.png", full_page=True)
    expect(page.get_by_text("Quitamos el archivo, cerramos la unidad")).to_be_visible()
