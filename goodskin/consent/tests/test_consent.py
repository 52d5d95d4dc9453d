"""Consent choices, Global Privacy Control and the signals the page hands to tag vendors."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from goodskin.accounts.tests.conftest import PASSWORD, make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.consent import gpp
from goodskin.consent.models import ConsentRecord
from goodskin.consent.state import COOKIE, banner_text_hash

pytestmark = pytest.mark.django_db
BANNER = 'id="consent-banner"'


def test_first_visit_shows_the_banner_and_stores_no_choice(client: Client) -> None:
    response = client.get("/")
    assert BANNER in response.content.decode()
    assert COOKIE not in response.cookies
    assert ConsentRecord.objects.count() == 0


def test_accept_all_from_the_banner_is_recorded_with_proof_of_what_was_shown(
    client: Client,
) -> None:
    response = client.post("/privacy/consent/", {"choice": "accept_all", "next": "/services/"})
    assert response.status_code == 303
    assert response["Location"] == "/services/"
    record = ConsentRecord.objects.get()
    assert (record.preferences, record.analytics, record.marketing) == (True, True, True)
    assert (record.source, record.gpc, record.dnt, record.language) == (
        "banner",
        False,
        False,
        "en",
    )
    assert record.policy_version == "2026-11-29"
    assert record.banner_text_hash == banner_text_hash("en")
    assert len(record.browser_id) == 32
    assert BANNER not in client.get("/services/").content.decode()
    entry = AuditEntry.objects.get(event=Event.CONSENT_RECORDED)
    assert entry.data == {
        "source": "banner",
        "preferences": True,
        "analytics": True,
        "marketing": True,
        "gpc": False,
    }


def test_reject_all_is_as_easy_and_turns_everything_optional_off(client: Client) -> None:
    client.post("/privacy/consent/", {"choice": "reject_all"})
    record = ConsentRecord.objects.get()
    assert (record.preferences, record.analytics, record.marketing) == (False, False, False)
    consent = client.get("/api/v1/consent").json()
    assert consent["consent_mode"] == {
        "ad_storage": "denied",
        "ad_user_data": "denied",
        "ad_personalization": "denied",
        "analytics_storage": "denied",
    }


def test_the_spanish_banner_text_has_its_own_hash(client: Client) -> None:
    client.cookies["django_language"] = "es"
    client.post("/privacy/consent/", {"choice": "accept_all"})
    record = ConsentRecord.objects.get()
    assert record.language == "es"
    assert record.banner_text_hash == banner_text_hash("es") != banner_text_hash("en")


def test_an_unknown_choice_is_refused_and_nothing_is_recorded(client: Client) -> None:
    response = client.post("/privacy/consent/", {"choice": "accept_some"})
    assert response.status_code == 400
    assert response.json() == {"error": "choice must be accept_all or reject_all"}
    assert ConsentRecord.objects.count() == 0


def test_the_script_can_save_a_choice_without_leaving_the_page(client: Client) -> None:
    response = client.post(
        "/privacy/consent/", {"choice": "reject_all"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"saved": True}
    assert COOKIE in response.cookies


def test_choices_page_saves_a_custom_choice_and_keeps_the_same_browser_id(client: Client) -> None:
    client.post("/privacy/consent/", {"choice": "reject_all"})
    response = client.post("/privacy/choices/", {"analytics": "on"})
    assert response["Location"] == "/privacy/choices/"
    first, second = ConsentRecord.objects.order_by("pk")
    assert (second.preferences, second.analytics, second.marketing) == (False, True, False)
    assert second.source == "choices_page"
    assert second.browser_id == first.browser_id


def test_gpc_is_an_opt_out_recorded_once_and_shown_to_the_visitor(client: Client) -> None:
    page = client.get("/", HTTP_SEC_GPC="1")
    assert "We received your Global Privacy Control signal" in page.content.decode()
    again = client.get("/services/", HTTP_SEC_GPC="1")
    assert again.status_code == 200
    [record] = ConsentRecord.objects.all()
    assert (record.source, record.gpc, record.marketing) == ("gpc", True, False)
    assert (record.preferences, record.analytics) == (None, None)


def test_gpc_wins_over_accept_all_for_marketing(client: Client) -> None:
    client.post("/privacy/consent/", {"choice": "accept_all"}, HTTP_SEC_GPC="1")
    record = ConsentRecord.objects.get(source="banner")
    assert (record.analytics, record.marketing, record.gpc) == (True, False, True)
    consent = client.get("/api/v1/consent", HTTP_SEC_GPC="1").json()
    assert consent["applied"] == {"preferences": True, "analytics": True, "marketing": False}
    assert consent["consent_mode"]["ad_storage"] == "denied"
    assert consent["consent_mode"]["analytics_storage"] == "granted"


def test_gpp_string_says_opted_out_and_gpc_under_the_signal(client: Client) -> None:
    consent = client.get("/api/v1/consent", HTTP_SEC_GPC="1").json()
    usnat = gpp.decode(consent["gpp"])["usnat"]
    assert (usnat["SaleOptOut"], usnat["SharingOptOut"], usnat["TargetedAdvertisingOptOut"]) == (
        1,
        1,
        1,
    )
    assert usnat["Gpc"] is True
    assert consent["gpc"] is True


def test_gpp_string_says_not_opted_out_after_accepting_marketing(client: Client) -> None:
    client.post("/privacy/consent/", {"choice": "accept_all"})
    usnat = gpp.decode(client.get("/api/v1/consent").json()["gpp"])["usnat"]
    assert (usnat["SaleOptOut"], usnat["TargetedAdvertisingOptOut"], usnat["Gpc"]) == (2, 2, False)


# The W3C rule: the value must be exactly "1" (HTTP trims the spaces around a field value); of
# several Sec-GPC headers, which a server reads joined by commas, any exact "1" counts.
@pytest.mark.parametrize(
    ("header", "counted"),
    [
        ("1", True),
        (" 1 ", True),
        ("0", False),
        ("true", False),
        ("01", False),
        ("0, true", False),
        ("0, 1", True),
        ("1, 1", True),
    ],
)
def test_gpc_is_a_header_of_exactly_one_or_several_headers_of_which_one_is_exactly_one(
    client: Client, header: str, counted: bool
) -> None:
    assert client.get("/api/v1/consent", HTTP_SEC_GPC=header).json()["gpc"] is counted


def test_do_not_track_is_recorded_but_not_acted_on(client: Client) -> None:
    client.post("/privacy/consent/", {"choice": "accept_all"}, HTTP_DNT="1")
    record = ConsentRecord.objects.get()
    assert (record.dnt, record.marketing, record.analytics) == (True, True, True)


def test_a_tampered_consent_cookie_counts_as_no_choice(client: Client) -> None:
    client.post("/privacy/consent/", {"choice": "accept_all"})
    client.cookies[COOKIE] = client.cookies[COOKIE].value.replace("|111|", "|000|")
    assert BANNER in client.get("/").content.decode()
    assert client.get("/api/v1/consent").json()["choices"] == {
        "preferences": None,
        "analytics": None,
        "marketing": None,
    }


def test_well_known_gpc_json_declares_support(client: Client) -> None:
    response = client.get("/.well-known/gpc.json")
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"gpc": True, "lastUpdate": "2026-11-29"}


def test_choices_made_before_signing_in_become_the_persons(client: Client) -> None:
    user = make_account()
    client.post("/privacy/consent/", {"choice": "reject_all"})
    client.post("/accounts/login/", {"email": "rosa@example.com", "password": PASSWORD})
    assert ConsentRecord.objects.get().person_id == user.person_id
    client.post("/privacy/choices/", {"preferences": "on"})
    assert ConsentRecord.objects.order_by("-pk").first().person_id == user.person_id  # type: ignore[union-attr]


def _signals(html: str) -> dict[str, Any]:
    found = re.search(
        r'<script id="privacy-signals" type="application/json">(.*?)</script>', html, re.S
    )
    assert found is not None
    signals: dict[str, Any] = json.loads(found.group(1))
    return signals


def test_the_page_hands_tag_vendors_the_gpp_string_and_consent_defaults(client: Client) -> None:
    html = client.get("/", HTTP_SEC_GPC="1").content.decode()
    signals = _signals(html)
    assert "/static/consent/consent.js" in html
    assert signals["consentMode"] == {
        "ad_storage": "denied",
        "ad_user_data": "denied",
        "ad_personalization": "denied",
        "analytics_storage": "denied",
    }
    assert signals["gpp"]["applicableSections"] == [7, 8]  # usnat, usca
    decoded = gpp.decode(signals["gpp"]["gppString"])
    for section, values in signals["gpp"]["parsedSections"].items():  # __gpp() says the same
        assert {name: decoded[section][name] for name in values} == values
    for section in ("usnat", "usca"):  # 1 is "opted out" in GPP's two-bit fields
        assert (decoded[section]["SaleOptOut"], decoded[section]["SharingOptOut"]) == (1, 1)
        assert decoded[section]["Gpc"] is True
    assert decoded["usnat"]["TargetedAdvertisingOptOut"] == 1

    without = gpp.decode(_signals(Client().get("/").content.decode())["gpp"]["gppString"])
    assert without["usnat"]["Gpc"] is False


def test_the_consent_script_stays_under_two_kilobytes_gzipped() -> None:
    script = Path(__file__).resolve().parents[1] / "static" / "consent" / "consent.js"
    assert len(gzip.compress(script.read_bytes(), compresslevel=9)) < 2 * 1024


def test_gpc_reported_by_the_script_is_the_same_opt_out_recorded_once(client: Client) -> None:
    first = client.post("/privacy/gpc/")
    second = client.post("/privacy/gpc/")
    assert (first.json(), second.json()) == ({"recorded": True}, {"recorded": False})
    [record] = ConsentRecord.objects.all()
    assert (record.source, record.gpc, record.marketing) == ("gpc", True, False)


def test_a_cookieless_client_sending_gpc_is_honoured_but_recorded_only_so_often() -> None:
    for _ in range(35):
        response = Client().get("/api/v1/consent", HTTP_SEC_GPC="1", REMOTE_ADDR="198.51.100.7")
        assert response.json()["applied"]["marketing"] is False
    assert ConsentRecord.objects.filter(source="gpc").count() == 30
