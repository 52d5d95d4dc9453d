"""The public pages cost a fixed, small number of queries whatever the register and the data map
hold, because the policy text with its generated blocks is rendered once and kept in the cache; an
edit to a retention rule or a recipient shows on the next request, and nothing about the reader is
ever in what is kept."""

from __future__ import annotations

import pickle

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from goodskin.accounts.models import User
from goodskin.disclosures.models import Recipient, RecipientKind
from goodskin.retention.actions import change_rule
from goodskin.retention.models import RetentionRule

pytestmark = pytest.mark.django_db

# The budget per page, for an anonymous visitor: each is asserted exactly, so a page that starts
# reading something per row fails here. Warm: the page's shell and the policy text are kept, and
# what is read is the site's two version rows (one statement, once per request: the content's, and
# the one that moves with policy versions and incidents, under which the announced changes and
# posted breach notices are kept) and, on the policy pages, the kept text's key sources (the rules
# and the recipients).
QUERIES = {
    "/": 1,
    "/services/": 1,
    "/team/": 1,
    "/clinics/": 1,
    "/contact/": 2,
    "/privacy/": 4,
    "/privacy/state-notice/": 4,
    "/privacy/versions/": 4,
    "/privacy/versions/privacy/1/": 4,
    "/privacy/choices/": 1,
    "/privacy/request/": 1,
}
# Cold, the kept shell is rendered once for a blank visitor: it reads what the page shows; the
# first page asked also reads the announced changes and the posting windows, once for all pages.
COLD = QUERIES | {
    "/": 5,
    "/services/": 2,
    "/team/": 2,
    "/clinics/": 2,
    "/privacy/": 6,
    "/privacy/state-notice/": 6,
}


def queries_for(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as run:
        assert client.get(path).status_code == 200, path
    return len(run.captured_queries)


def more_recipients(count: int) -> None:
    Recipient.objects.bulk_create(
        Recipient(
            slug=f"vendor-{number}",
            name=f"Vendor {number}",
            kind=RecipientKind.SERVICE_PROVIDER,
            description_en=f"Scheduling vendor number {number}",
            description_es=f"Proveedor de citas número {number}",
            categories=["contact"],
            purpose="Scheduling",
        )
        for number in range(count)
    )


def test_each_public_page_runs_its_fixed_number_of_queries_however_big_the_register(
    client: Client,
) -> None:
    first = {path: queries_for(client, path) for path in QUERIES}  # cold: shells are rendered
    more_recipients(40)
    cache.clear()
    grown = {path: queries_for(client, path) for path in QUERIES}
    warm = {path: queries_for(client, path) for path in QUERIES}  # shells from the cache

    assert first == COLD
    assert grown == COLD
    assert warm == QUERIES


def test_a_changed_retention_rule_shows_on_the_privacy_page_at_once(client: Client) -> None:
    rule = RetentionRule.objects.get(key="submission")
    before = client.get("/privacy/").content.decode()
    assert "3 years after your last contact with us, then deleted" not in before

    change_rule(
        rule=rule, period_days=3 * 365, counted_from=rule.counted_from, outcome=rule.outcome
    )
    after = client.get("/privacy/").content.decode()

    assert "3 years after your last contact with us, then deleted" in after


def test_a_new_recipient_shows_on_the_state_notice_at_once(client: Client) -> None:
    assert "Scheduling vendor number 0" not in client.get("/privacy/state-notice/").content.decode()
    more_recipients(1)
    assert "Scheduling vendor number 0" in client.get("/privacy/state-notice/").content.decode()


def test_the_kept_policy_is_the_same_for_every_reader_and_holds_nothing_about_them(
    client: Client,
) -> None:
    anonymous = client.get("/privacy/").content.decode()
    User.objects.create_user(
        "marisol.quintero@example.com", "Lavender-Harbour-42", full_name="Marisol Quintero"
    )
    reader = Client()
    assert reader.login(email="marisol.quintero@example.com", password="Lavender-Harbour-42")
    signed_in = reader.get("/privacy/").content.decode()
    spanish = Client()
    spanish.cookies["django_language"] = "es"
    spanish.get("/privacy/")

    def body(page: str) -> str:
        return page[page.index('<section class="policy-section"') : page.rindex("</section>")]

    assert body(signed_in) == body(anonymous)
    kept = {
        key: pickle.loads(value)  # noqa: S301  (our own process's cache)
        for key, value in cache._cache.items()  # type: ignore[attr-defined]  # local memory
    }
    bodies = [value for key, value in kept.items() if "policies:body:" in key]
    assert len(bodies) == 2  # English and Spanish, one each
    shells = [value for key, value in kept.items() if "page-shell:" in key]
    assert len(shells) == 2  # the page around it, kept once per language for every reader
    assert not any("Marisol" in value or "marisol.quintero" in value for value in bodies + shells)
