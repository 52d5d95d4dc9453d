"""The analytics beacon: minimised on the way in, strict about what it accepts."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.http import HttpResponse
from django.test import Client

from goodskin.tracking.minimise import daily_visitor, truncate_ip
from goodskin.tracking.models import PageEvent

pytestmark = pytest.mark.django_db
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def beacon(
    client: Client,
    *events: dict[str, object],
    agent: str = FIREFOX,
    address: str = "203.0.113.77",
    language: str = "",
) -> HttpResponse:
    return client.post(  # type: ignore[return-value]  # the test client wraps the response
        "/api/v1/collect",
        json.dumps({"events": list(events)}),
        content_type="application/json",
        HTTP_USER_AGENT=agent,
        HTTP_ACCEPT_LANGUAGE=language,
        REMOTE_ADDR=address,
    )


def test_a_page_view_is_stored_minimised_and_without_a_cookie(client: Client) -> None:
    response = beacon(
        client,
        {
            "type": "page_view",
            "path": "/services/?email=rosa@example.com#top",
            "referrer": "https://www.google.com/search?q=botox",
            "screen_width": 393,
            "screen_height": 852,
        },
        agent=IPHONE,
        language="es-MX,es;q=0.9",
    )
    assert response.status_code == 204
    event = PageEvent.objects.get()
    assert (event.kind, event.path, event.referrer_host) == (
        "page_view",
        "/services/",
        "www.google.com",
    )
    assert (event.ip_prefix, event.device, event.browser, event.os) == (
        "203.0.113.0",
        "mobile",
        "Mobile Safari",
        "iOS",
    )
    assert (event.screen, event.language, event.consented) == ("400x850", "es-MX", False)
    assert event.visitor.startswith("d")
    assert "gs_vid" not in response.cookies


def test_with_analytics_consent_the_visitor_gets_a_random_first_party_id(client: Client) -> None:
    client.post("/privacy/consent/", {"choice": "accept_all"})
    first = beacon(client, {"type": "page_view", "path": "/"})
    visitor = first.cookies["gs_vid"].value
    beacon(client, {"type": "book_click", "path": "/"})
    assert list(PageEvent.objects.values_list("visitor", "consented")) == [
        (visitor, True),
        (visitor, True),
    ]


def test_withdrawing_consent_removes_the_visitor_id(client: Client) -> None:
    client.post("/privacy/consent/", {"choice": "accept_all"})
    beacon(client, {"type": "page_view", "path": "/"})
    client.post("/privacy/consent/", {"choice": "reject_all"})
    response = beacon(client, {"type": "page_view", "path": "/"})
    assert response.cookies["gs_vid"].value == ""
    assert PageEvent.objects.order_by("-pk").first().visitor.startswith("d")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            {"events": [{"type": "scroll", "path": "/"}]},
            400,
            "events.0.type: unknown event type; "
            "use page_view, book_click, form_start or form_submit",
        ),
        (
            {"events": [{"type": "page_view", "path": "/", "ts": 4_102_444_800_000}]},
            400,
            "events.0.ts: the time is in the future",
        ),
        (
            {"events": [{"type": "page_view", "path": "/", "ts": 1_000_000_000_000}]},
            400,
            "events.0.ts: the time is more than a day old",
        ),
        (
            {"events": [{"type": "page_view", "path": "https://evil.example/"}]},
            400,
            "events.0.path: give the path of a page on this site, like /services/",
        ),
        ({"events": []}, 400, "events: List should have at least 1 item after validation, not 0"),
        (
            {"events": [{"type": "page_view", "path": "/"}] * 21},
            400,
            "events: List should have at most 20 items after validation, not 21",
        ),
        (
            {"events": [{"type": "page_view", "path": "/" * 201}]},
            400,
            "events.0.path: String should have at most 200 characters",
        ),
        (
            {"events": [{"type": "page_view", "path": "/", "screen_width": -1}]},
            400,
            "events.0.screen_width: Input should be greater than or equal to 0",
        ),
    ],
)
def test_bad_batches_get_a_sentence_and_store_nothing(
    client: Client, body: dict[str, object], status: int, message: str
) -> None:
    response = client.post(
        "/api/v1/collect",
        json.dumps(body),
        content_type="application/json",
        HTTP_USER_AGENT=FIREFOX,
    )
    assert response.status_code == status
    assert response.json() == {"detail": message}
    assert PageEvent.objects.count() == 0


def test_garbage_and_oversized_bodies_are_refused(client: Client) -> None:
    garbage = client.post(
        "/api/v1/collect",
        b"\xff\xfe{not json",
        content_type="application/json",
        HTTP_USER_AGENT=FIREFOX,
    )
    assert (garbage.status_code, garbage.json()) == (400, {"detail": "the body is not valid JSON"})
    huge = client.post(
        "/api/v1/collect", b"x" * 20000, content_type="application/json", HTTP_USER_AGENT=FIREFOX
    )
    assert (huge.status_code, huge.json()) == (
        413,
        {"detail": "the batch is larger than 16 KB; send fewer events"},
    )
    assert PageEvent.objects.count() == 0


def test_bots_are_not_counted(client: Client) -> None:
    response = beacon(
        client,
        {"type": "page_view", "path": "/"},
        agent="Googlebot/2.1 (+http://www.google.com/bot.html)",
    )
    assert response.status_code == 204
    assert PageEvent.objects.count() == 0


def test_addresses_are_cut_to_a_network_before_storage() -> None:
    assert truncate_ip("203.0.113.77") == "203.0.113.0"
    assert truncate_ip("2001:db8:85a3:8d3:1319:8a2e:370:7348") == "2001:db8:85a3::"
    assert truncate_ip("not an address") == ""


def test_the_daily_visitor_cannot_be_linked_across_days() -> None:
    one = daily_visitor(
        secret=b"k", day=date(2026, 11, 29), ip_prefix="203.0.113.0", user_agent=FIREFOX
    )
    same = daily_visitor(
        secret=b"k", day=date(2026, 11, 29), ip_prefix="203.0.113.0", user_agent=FIREFOX
    )
    next_day = daily_visitor(
        secret=b"k", day=date(2026, 11, 30), ip_prefix="203.0.113.0", user_agent=FIREFOX
    )
    assert one == same != next_day
    assert len(one) == 32


def test_events_posted_from_another_site_are_refused(client: Client) -> None:
    response = client.post(
        "/api/v1/collect",
        json.dumps({"events": [{"type": "page_view", "path": "/"}]}),
        content_type="application/json",
        HTTP_USER_AGENT=FIREFOX,
        HTTP_ORIGIN="https://spam.example",
    )
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "events are accepted only from this site's own pages"},
    )
    assert PageEvent.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/leak@example.com/",
        "/services/\u202egpj.exe",
        "/services/../accounts/profile/",
        "/console/",
        "/api/v1/collect",
        "/static/website/site.css",
        "/%2e%2e/etc/passwd",
        "//evil.example/",
        "/no-such-page/",
    ],
)
def test_only_the_sites_own_pages_are_counted(client: Client, path: str) -> None:
    response = beacon(client, {"type": "page_view", "path": path})
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "detail": "events.0.path: give the path of a page on this site, like /services/"
    }
    assert not PageEvent.objects.exists()


def test_a_token_in_a_page_address_is_never_kept(client: Client) -> None:
    response = beacon(
        client,
        {"type": "page_view", "path": "/unsubscribe/Zm9vYmFyLXRva2Vu/"},
        {"type": "page_view", "path": "/accounts/password/reset/MQ/set-password/"},
        {"type": "page_view", "path": "/privacy/request/report/c2VjcmV0/"},
        {"type": "page_view", "path": "/privacy/versions/privacy/2/", "previous_path": "/console/"},
    )
    assert response.status_code == 204
    assert list(PageEvent.objects.order_by("pk").values_list("path", "previous_path")) == [
        ("/unsubscribe/{token}/", ""),
        ("/accounts/password/reset/{uidb64}/{token}/", ""),
        ("/privacy/request/report/{token}/", ""),
        ("/privacy/versions/privacy/2/", ""),
    ]


def test_one_address_sending_a_flood_of_events_is_stopped_and_others_are_not(
    client: Client,
) -> None:
    page: dict[str, object] = {"type": "page_view", "path": "/services/"}
    answers = [beacon(client, page).status_code for _ in range(61)]
    assert answers == [204] * 60 + [429]
    assert beacon(client, page, address="198.51.100.20").status_code == 204
    assert PageEvent.objects.count() == 61
