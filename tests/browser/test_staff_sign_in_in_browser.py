"""Staff sign-in in a real browser: the first sign-in enrols an authenticator app (the code is a
real TOTP code computed from the key on the page); a passkey made and used through Chromium's
virtual authenticator; a marketing account refused the request queue; and a patient's access
report naming the member of staff who opened their consultation request."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from goodskin.accounts.models import FactorKind, RecoveryCode, SecondFactor
from goodskin.accounts.tests.conftest import make_account, make_staff
from goodskin.rights.actions.fulfilment import fulfil_request
from goodskin.rights.actions.intake import open_request
from goodskin.rights.models import Channel, DataRequest
from goodskin.submissions.actions import submit_consultation
from goodskin.submissions.models import ConsultationRequest
from tests.browser.conftest import sign_in_to_console

STAFF_PASSWORD = "Officer-Console-Pass-9"


def password_step(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/console/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_first_staff_sign_in_enrols_an_authenticator_app_with_a_real_code(
    browser: Browser, site: str, width: int, screenshot_folder: Path
) -> None:
    officer = make_staff(email="pat@goodskinclinics.com")
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    password_step(page, site, "pat@goodskinclinics.com")

    expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
    expect(page.get_by_alt_text(re.compile("QR code"))).to_be_visible()
    page.screenshot(path=screenshot_folder / f"staff-enrol-{width}.png", full_page=True)
    key = page.locator("code.factor-key").inner_text().replace(" ", "")
    page.get_by_label("Six-digit code from the app").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Turn on the authenticator app").click()

    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    assert page.get_by_role("list", name="Recovery codes").locator("li").count() == 10
    page.screenshot(path=screenshot_folder / f"staff-recovery-codes-{width}.png", full_page=True)
    page.get_by_role("link", name="I have saved them. Continue").click()
    expect(page.get_by_role("heading", name="Privacy and clinic administration")).to_be_visible()
    assert SecondFactor.objects.get(user=officer).kind == FactorKind.AUTHENTICATOR
    assert RecoveryCode.objects.filter(user=officer).count() == 10
    page.context.close()


def test_a_passkey_is_added_and_then_signs_in_through_the_virtual_authenticator(
    page: Page, site: str, screenshot_folder: Path
) -> None:
    officer = make_staff(email="pat@goodskinclinics.com")
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    password_step(page, site, "pat@goodskinclinics.com")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    page.get_by_role("link", name="I have saved them. Continue").click()
    expect(page.get_by_role("heading", name="Privacy and clinic administration")).to_be_visible()
    page.get_by_role("button", name=re.compile("Log out|Sign out")).click()

    password_step(page, site, "pat@goodskinclinics.com")
    expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
    page.screenshot(path=screenshot_folder / "staff-passkey-challenge.png", full_page=True)
    page.get_by_role("button", name="Use your passkey").click()

    expect(page.get_by_role("heading", name="Privacy and clinic administration")).to_be_visible()
    passkey = SecondFactor.objects.get(user=officer)
    assert passkey.kind == FactorKind.PASSKEY
    assert passkey.last_used_at is not None


def test_a_marketing_account_is_refused_the_request_queue_with_a_sentence(
    page: Page, site: str, screenshot_folder: Path
) -> None:
    make_staff("Marketing", email="mia@goodskinclinics.com")
    sign_in_to_console(page, site, "mia@goodskinclinics.com", STAFF_PASSWORD)
    page.goto(f"{site}/console/requests/")
    expect(page.get_by_role("heading", name="This page is not part of your role")).to_be_visible()
    expect(page.get_by_text("Your roles: Marketing.")).to_be_visible()
    page.screenshot(path=screenshot_folder / "staff-refused-marketing.png", full_page=True)


def test_a_patients_access_report_names_the_staff_member_who_opened_their_consultation(
    page: Page, site: str, screenshot_folder: Path
) -> None:
    today = timezone.localdate()
    rosa = make_account(email="rosa@example.com")
    submit_consultation(
        full_name="Rosa Delgado",
        email="rosa@example.com",
        phone="",
        treatment=None,
        clinic=None,
        preferred_time="any",
        message="Redness on my cheeks",
        language="en",
        client_address="192.0.2.1",
        today=today,
    )
    consultation = ConsultationRequest.objects.get()
    desk = make_staff("Front desk", email="front.desk@goodskinclinics.com")
    desk.full_name = "Jo Front"
    desk.save(update_fields=["full_name"])
    sign_in_to_console(page, site, "front.desk@goodskinclinics.com", STAFF_PASSWORD)
    page.goto(f"{site}/console/submissions/consultationrequest/{consultation.pk}/change/")
    expect(page.get_by_text("Redness on my cheeks")).to_be_visible()

    opened = open_request(
        kind="access",
        email="rosa@example.com",
        state="CA",
        today=today,
        channel=Channel.ACCOUNT,
        signed_in_person=rosa.person,
    )
    fulfil_request(request=opened.request, today=today)
    report = DataRequest.objects.get(pk=opened.request.pk).report
    assert report is not None
    page.set_content(zipfile.ZipFile(io.BytesIO(report)).read("report.html").decode())

    section = page.locator("h2:text-is('Who at the clinic viewed your records') + table")
    expect(section).to_contain_text("Jo Front (Front desk)")
    expect(section).to_contain_text("your consultation request")
    page.screenshot(path=screenshot_folder / "report-who-viewed.png", full_page=True)
