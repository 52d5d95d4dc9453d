"""Values at the edges get a 4xx with a sentence, never a 500, and change nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory

from config.errors import server_error
from goodskin.rights.models import DataRequest
from goodskin.tracking.models import PageEvent
from goodskin.tracking.tests.test_collect import FIREFOX, beacon

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("ts", "said"),
    [
        ("1e20", "events.0.ts: Input should be a valid integer"),
        ("-1e18", "events.0.ts: Input should be a valid integer"),
        ("1" + "0" * 399, "events.0.ts: Input should be less than or equal to 253402300799999"),
        ("-5", "events.0.ts: Input should be greater than or equal to 0"),
        ("253402300799999", "events.0.ts: the time is in the future"),
    ],
)
def test_a_beacon_time_no_clock_can_hold_is_refused_by_name(
    client: Client, ts: str, said: str
) -> None:
    body = '{"events": [{"type": "page_view", "path": "/", "ts": TS}]}'.replace("TS", ts)
    response = client.post(
        "/api/v1/collect", body, content_type="application/json", HTTP_USER_AGENT=FIREFOX
    )
    assert (response.status_code, response.json()) == (400, {"detail": said})
    assert not PageEvent.objects.exists()


@pytest.mark.parametrize("field", ["path", "referrer", "previous_path"])
def test_a_nul_byte_in_the_beacon_is_refused_on_every_database(client: Client, field: str) -> None:
    event: dict[str, object] = {"type": "page_view", "path": "/services/"}
    event[field] = "/services/\x00evil"
    response = beacon(client, event)
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "detail": f"events.0.{field}: must not contain control characters such as NUL"
    }
    assert not PageEvent.objects.exists()


@pytest.mark.parametrize("received", ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01"])
def test_a_deadline_for_a_date_beyond_the_table_is_refused(client: Client, received: str) -> None:
    response = client.get(f"/api/v1/jurisdictions/CA/deadlines?received={received}")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "received: give a date between 2000-01-01 and 2099-12-31; the table has no "
        "rules outside those years."
    }


def test_the_last_date_in_the_table_still_has_deadlines(client: Client) -> None:
    response = client.get("/api/v1/jurisdictions/CA/deadlines?received=2099-12-31")
    assert response.status_code == 200
    assert response.json()["response_due"] == "2100-02-14"


@pytest.mark.parametrize("typed", ["\u00b2", "\u0663", "1" * 30, "-4", " "])
def test_a_person_number_that_is_not_one_finds_nobody_instead_of_failing(
    officer: Client, typed: str
) -> None:
    response = officer.get("/console/policies/", {"person": typed, "at": "2026-11-30T09:00"})
    assert response.status_code == 200
    assert "No person with that number." in response.content.decode()


def test_a_request_body_sent_as_plain_text_is_refused_so_other_sites_cannot_post_it(
    client: Client,
) -> None:
    body = json.dumps({"kind": "access", "state": "CA", "email": "rosa@example.com"})
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = client.post("/api/v1/rights/requests", body, content_type=content_type)
        assert response.status_code == 415
        assert response.json() == {
            "detail": "Send the body as JSON, with Content-Type: application/json."
        }
    assert not DataRequest.objects.exists()
    accepted = client.post("/api/v1/rights/requests", body, content_type="application/json")
    assert accepted.status_code == 201


def test_the_api_answers_its_errors_in_json(client: Client) -> None:
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No such endpoint: the list is at /api/v1/docs."}
    broken = server_error(RequestFactory().get("/api/v1/clinics"))
    assert broken.status_code == 500
    assert json.loads(broken.content) == {
        "detail": "Something went wrong on our side. Please try again in a few minutes."
    }
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_invalid_api_input_is_a_400_naming_the_field_without_repeating_it(client: Client) -> None:
    response = client.post(
        "/api/v1/rights/requests",
        json.dumps({"kind": "everything", "state": "CA", "email": "rosa@example.com"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("kind: use one of 'know', 'access'")
    assert "everything" not in detail
