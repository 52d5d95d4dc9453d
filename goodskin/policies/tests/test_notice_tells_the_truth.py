"""The published text keeps every promise of the clinic's policy and never contradicts the tables
behind it: deadlines come from the jurisdiction table, rights from what the request form offers,
recipients from the register."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from goodskin.disclosures.models import Recipient, RecipientKind
from goodskin.jurisdictions.privacy import PROMISE, STATE_LAWS
from goodskin.jurisdictions.regulators import REGULATORS
from goodskin.policies.first_versions import FIRST_VERSIONS, STATE_NOTICE
from goodskin.policies.in_force import NOTICE_PERIOD
from goodskin.policies.models import PolicyVersion
from goodskin.rights.models import RequestKind

pytestmark = pytest.mark.django_db
DAYS = re.compile(r"\b\d+\s+(?:calendar\s+|business\s+)?(?:days?|días)", re.IGNORECASE)


def clauses(document: list[dict]) -> list[dict]:  # type: ignore[type-arg]  # JSON-shaped data
    return [clause for section in document for clause in section["clauses"] if "text" in clause]


def test_the_state_notice_states_no_deadline_in_its_own_words() -> None:
    for clause in clauses(STATE_NOTICE):
        if clause["key"] == "changes-1":  # the 30-day rule is ours (in_force.py), not a state's
            assert f"{NOTICE_PERIOD.days} calendar days" in clause["text"]["en"]
            continue
        for language in ("en", "es"):
            assert not DAYS.search(clause["text"][language]), (clause["key"], language)


def test_each_states_deadline_on_the_notice_comes_from_the_table(client: Client) -> None:
    page = client.get("/privacy/state-notice/").content.decode()
    assert "60 days for residents of Nevada" in page
    assert "90 days for residents of Iowa" in page
    assert f"{PROMISE.response_days} days for everyone else, as we promise." in page
    assert "answer within 45 days" not in page
    in_force = [law for law in STATE_LAWS if law.code in {"NV", "IA", "CA"}]
    assert {law.code: law.response_days for law in in_force} == {"CA": 45, "NV": 60, "IA": 90}


def test_every_right_the_request_form_offers_is_listed_on_the_notice() -> None:
    keys = {clause["key"] for clause in clauses(STATE_NOTICE)}
    listed = {
        RequestKind.KNOW: "rights-know",
        RequestKind.ACCESS: "rights-know",
        RequestKind.PORTABILITY: "rights-know",
        RequestKind.CORRECT: "rights-correct",
        RequestKind.DELETE: "rights-delete",
        RequestKind.OPT_OUT: "rights-opt-out",
        RequestKind.OPT_OUT_PROFILING: "rights-profiling",
        RequestKind.LIMIT_SENSITIVE: "rights-limit-sensitive",
        RequestKind.LIST_THIRD_PARTIES: "rights-third-parties",
        RequestKind.APPEAL: "rights-appeal",
        RequestKind.CHILD: "adults-1",  # the privacy policy's children clause
    }
    assert set(listed) == set(RequestKind)
    privacy = {clause["key"] for clause in clauses(FIRST_VERSIONS["privacy"])}
    for kind, key in listed.items():
        assert key in keys | privacy, kind


def test_the_notice_has_the_ccpa_table_and_names_regulators_in_spanish(client: Client) -> None:
    english = client.get("/privacy/state-notice/").content.decode()
    assert "Each kind of information: where it comes from, why, who receives it" in english
    assert "You, through our forms, your account and your requests." in english
    client.cookies["django_language"] = "es"
    spanish = client.get("/privacy/state-notice/").content.decode()
    assert "el Fiscal General de Virginia" in spanish
    assert "Alojamiento y mantenimiento de nuestros sistemas" in spanish  # who receives it
    assert "Hosting and maintenance of our systems" not in spanish
    assert "the Virginia Attorney General" not in spanish
    assert "Nuevo Hampshire" in spanish


def test_the_policy_keeps_the_clinics_commitments_in_our_words(client: Client) -> None:
    page = client.get("/privacy/").content.decode()
    assert "Lisa Goodman, Physician Assistant, PLLC" in page
    assert "GoodSkin L.A., a medical corporation" in page
    assert "for business or marketing purposes" in page
    assert "de-identified wherever we can" in page
    assert "encrypted backups and archives, fraud-prevention records and visit statistics" in page
    assert "sign out when you are not using your account" in page
    assert "unless a parent or guardian, whose identity we verify, gives their consent" in page


def test_the_register_has_the_reporting_and_marketing_recipient_the_text_names(
    client: Client,
) -> None:
    partner = Recipient.objects.get(slug="reporting-partners")
    assert (partner.kind, partner.is_sale, partner.is_share, partner.categories) == (
        RecipientKind.THIRD_PARTY,
        False,
        False,
        [],
    )
    notice = client.get("/privacy/state-notice/").content.decode()
    assert "de-identified so they cannot be tied back to you" in notice
    assert "None of these disclosures is a sale or sharing of personal information" in notice


def test_every_regulator_in_the_table_has_a_translated_name() -> None:
    assert {law.regulator for law in (*STATE_LAWS, PROMISE)} <= set(REGULATORS)


def test_every_page_names_the_three_entities(client: Client) -> None:
    footer = client.get("/").content.decode().split("<footer")[1]
    assert "Aesthetics Management, Inc." in footer
    assert "GoodSkin L.A., a medical corporation" in footer
    assert "Lisa Goodman, Physician Assistant, PLLC" in footer


def test_what_changed_and_the_postal_address_read_in_spanish(client: Client) -> None:
    PolicyVersion.objects.filter(document="privacy", number=1).update(
        summary={"en": "Our first policy.", "es": "Nuestra primera política."}
    )
    client.cookies["django_language"] = "es"
    versions = client.get("/privacy/versions/").content.decode()
    assert "<td>Nuestra primera política.</td>" in versions
    contact = client.get("/privacy/").content.decode()
    assert "A la atención de: Privacidad" in contact
    assert "Attn: Privacy" not in contact
