"""The public pages are kept as a shell rendered for nobody in particular; each request fills in
only its own parts. What is kept never holds anything about a reader, every reader still gets
their own banner, sign-in links, form token and privacy signals, and an edit shows at once."""

from __future__ import annotations

import pickle
import re

import pytest
from django.core.cache import cache
from django.template import Engine, TemplateSyntaxError
from django.template.base import Origin, Template
from django.test import Client

from goodskin.accounts.tests.conftest import PASSWORD, make_account
from goodskin.website.models import Service

pytestmark = pytest.mark.django_db
PAGES = ["/", "/services/", "/team/", "/clinics/", "/privacy/", "/privacy/state-notice/"]


def form_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def kept_shells() -> list[str]:
    return [
        pickle.loads(value)  # noqa: S301  (our own process's cache)
        for key, value in cache._cache.items()  # type: ignore[attr-defined]  # local memory
        if "page-shell:" in key
    ]


def test_what_is_kept_holds_nothing_about_the_signed_in_reader_who_caused_it() -> None:
    make_account(email="marisol.quintero@example.com")
    reader = Client()
    assert reader.login(email="marisol.quintero@example.com", password=PASSWORD)
    pages = [reader.get(path, HTTP_SEC_GPC="1").content.decode() for path in PAGES]
    token = form_token(pages[0])
    assert "My account" in pages[0]
    assert '"gpc": true' in pages[0]  # the reader's own signal, in their own page

    shells = kept_shells()
    assert len(shells) == len(PAGES)
    for shell in shells:
        assert "Marisol" not in shell
        assert "marisol.quintero" not in shell
        assert token not in shell
        assert "csrfmiddlewaretoken" not in shell
        assert "My account" not in shell
        assert "Sign in" not in shell  # nobody's header is kept, not even a visitor's
        assert '"gpc": true' not in shell
        assert "\x00visitor:header-tools\x00" in shell


def test_each_reader_gets_their_own_parts_around_the_same_kept_page() -> None:
    visitor, other = Client(), Client()
    first = visitor.get("/").content.decode()
    second = other.get("/", HTTP_SEC_GPC="1").content.decode()
    make_account()
    member = Client()
    assert member.login(email="rosa@example.com", password=PASSWORD)
    third = member.get("/").content.decode()

    assert len(kept_shells()) == 1  # one shell served all three
    assert 'id="consent-banner"' in first
    assert "Sign in" in first
    assert '"gpc": false' in first
    assert '"gpc": true' in second
    assert "We received your Global Privacy Control signal" in second
    assert "My account" in third
    assert "Sign in" not in third

    assert len({form_token(first), form_token(second), form_token(third)}) == 3
    assert "\x00" not in first + second + third


def test_an_edited_treatment_shows_on_the_next_request_in_every_page_that_shows_it(
    client: Client,
) -> None:
    service = Service.objects.create(
        slug="glow-facial", category="facials", name_en="Glow Facial", summary_en="Bright skin.",
        duration_minutes=60,
    )  # fmt: skip
    assert "Glow Facial" in client.get("/").content.decode()
    assert "Glow Facial Deluxe" not in client.get("/services/").content.decode()
    Service.objects.filter(pk=service.pk).update(name_en="Glow Facial Deluxe")  # as the admin does

    assert "Glow Facial Deluxe" in client.get("/").content.decode()
    assert "Glow Facial Deluxe" in client.get("/services/").content.decode()


def test_a_page_not_kept_renders_its_visitor_parts_in_place(client: Client) -> None:
    page = client.get("/contact/").content.decode()
    assert "Sign in" in page
    assert 'id="consent-banner"' in page
    assert "\x00" not in page


def test_a_visitor_part_name_used_in_two_templates_is_refused() -> None:
    engine = Engine(libraries={"visitor": "goodskin.website.templatetags.visitor"})
    source = '{% load visitor %}{% visitor "header-tools" %}x{% endvisitor %}'
    with pytest.raises(TemplateSyntaxError, match="already used"):
        Template(source, origin=Origin(name="someone/else.html"), engine=engine)


def test_every_change_to_the_public_content_moves_its_version_however_it_is_made() -> None:
    from goodskin.website.models import Clinic, ContentVersion, TeamMember  # noqa: PLC0415
    from goodskin.website.queries import content_version  # noqa: PLC0415

    seen = [content_version()]

    def changed() -> bool:
        seen.append(content_version())
        return seen[-1] != seen[-2]

    service = Service.objects.create(
        slug="peel", category="facials", name_en="Peel", summary_en="A peel.", duration_minutes=30
    )
    assert changed()
    Service.objects.filter(pk=service.pk).update(summary_es="Un peeling.")
    assert changed()
    clinic = Clinic.objects.create(
        slug="test", name="GoodSkin Test", street="1 Main St", city="Los Angeles", region="CA",
        postal_code="90049", phone="(310) 555-0100", hours_en="Mon–Fri 9–6", blurb_en="Ours.",
    )  # fmt: skip
    assert changed()
    member = TeamMember.objects.create(
        slug="dana", name="Dana Ruiz", credential="LE", role_en="Aesthetician", bio_en="Dana."
    )
    assert changed()
    member.clinics.add(clinic)  # the many-to-many table has its own trigger
    assert changed()
    service.delete()
    assert changed()
    assert not changed()  # nothing happened, nothing moved

    ContentVersion.objects.all().delete()  # without the row, every column is read instead
    without_row = content_version()
    Clinic.objects.filter(pk=clinic.pk).update(street="2 Main St")
    assert content_version() != without_row
