"""The API intake and the staff queue."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine
from django.test import Client

from goodskin.communications.delivery import deliver_all_due
from goodskin.core.smtp_sink import SmtpSink
from goodskin.rights.actions.reminders import remind_staff
from goodskin.rights.models import DataRequest

pytestmark = pytest.mark.django_db
NOON = "2026-11-25 12:00:00-08:00"


def post(client: Client, REMOTE_ADDR: str = "127.0.0.1", **fields: str):  # type: ignore[no-untyped-def]  # noqa: N803  # a test response; META's own name
    body = {"kind": "delete", "state": "VA", "email": "rosa@example.com"}
    body.update(fields)
    return client.post(
        "/api/v1/rights/requests",
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=REMOTE_ADDR,
    )


@time_machine.travel(NOON, tick=False)
def test_the_api_opens_a_request_and_says_what_happens_next(client: Client) -> None:
    response = post(client)
    assert response.status_code == 201
    body = response.json()
    request = DataRequest.objects.get()
    assert body == {
        "reference": request.reference,
        "status": "receipt_confirmed",
        "received_on": "2026-11-25",
        "due_on": "2027-01-09",
        "next_step": "Enter the code we emailed at /privacy/request/verify/",
    }


@time_machine.travel(NOON, tick=False)
def test_the_api_refuses_bad_input_by_field_and_stores_nothing(client: Client) -> None:
    assert post(client, state="ZZ").json() == {
        "detail": "state: not one of the allowed values listed at /api/v1/docs"
    }
    assert post(client, email="nope").json() == {
        "detail": "email: Enter an email address we can write to, like name@example.com."
    }
    assert post(client, email="").json() == {
        "detail": "email: Enter an email address we can write to, like name@example.com."
    }
    assert post(client, kind="everything").status_code == 400
    assert (
        post(client, kind="appeal", appeal_of="GS-ZZZZZZZZ")
        .json()["detail"]
        .startswith("appeal_of: We cannot find a decided request with that reference")
    )
    assert post(client, kind="child").json() == {
        "detail": "child_email: Give your child's email address."
    }
    assert post(client, kind="child", child_email="not-an-address").json() == {
        "detail": "child_email: Enter an email address we can write to, like name@example.com."
    }
    assert DataRequest.objects.count() == 0


@time_machine.travel(NOON, tick=False)
def test_the_queue_shows_the_soonest_deadline_first_and_counts_the_overdue(
    officer: Client,
) -> None:
    post(officer, state="IA", email="a@example.com")  # 90 days
    post(officer, state="CA", email="b@example.com")  # 45 days
    DataRequest.objects.filter(state="IA").update(due_on=date(2026, 11, 20))  # long overdue

    page = officer.get("/console/requests/")

    assert page.status_code == 200
    assert [item.state for item in page.context["requests"]] == ["IA", "CA"]
    assert page.context["summary"]["overdue"] == 1
    assert "1 request(s) past their deadline." in page.content.decode()


def test_the_staff_entry_form_asks_staff_about_the_person_not_as_the_person(
    officer: Client,
) -> None:
    page = officer.get("/console/requests/new/").content.decode()
    assert "The person&#x27;s email address" in page
    assert "Your email address" not in page
    assert "The state you live in" not in page


@time_machine.travel(NOON, tick=False)
def test_staff_record_a_letter_on_the_day_it_arrived_and_decide_it(
    officer: Client, smtp_sink: object
) -> None:
    form = {
        "kind": "access",
        "state": "CO",
        "email": "rosa@example.com",
        "details": "",
        "channel": "mail",
        "received_on": "2026-11-20",
    }
    future = officer.post("/console/requests/new/", {**form, "received_on": "2026-12-01"})
    assert future.status_code == 400
    assert future.context["form"].errors["received_on"] == [
        "A request cannot arrive in the future."
    ]

    recorded = officer.post("/console/requests/new/", form)
    request = DataRequest.objects.get()
    assert recorded["Location"] == f"/console/requests/{request.reference}/"
    assert (request.channel, request.received_on, request.due_on) == (
        "mail",
        date(2026, 11, 20),
        date(2027, 1, 4),
    )

    unverified = officer.post(recorded["Location"], {"action": "fulfil"})
    assert unverified.status_code == 400
    assert "Only a verified, open request can be fulfilled." in unverified.content.decode()
    denied = officer.post(recorded["Location"], {"action": "deny", "reason": ""})
    assert denied.context["form"].errors["reason"] == ["Give the reasons the person will read."]
    extended = officer.post(
        recorded["Location"], {"action": "extend", "reason": "Records are in the archive."}
    )
    assert extended.status_code == 302
    request.refresh_from_db()
    assert request.extended_due_on == date(2027, 2, 18)


@time_machine.travel(NOON, tick=False)
def test_staff_get_one_daily_reminder_listing_what_is_overdue_or_due_soon(
    smtp_sink: object, django_capture_on_commit_callbacks: object
) -> None:

    assert isinstance(smtp_sink, SmtpSink)
    client = Client()
    post(client, state="CA", email="a@example.com")
    post(client, state="VA", email="b@example.com")
    late = DataRequest.objects.get(state="CA")
    DataRequest.objects.filter(pk=late.pk).update(due_on=date(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert remind_staff(today=date(2026, 11, 25)) == 1
        assert remind_staff(today=date(2026, 11, 25)) == 1  # same day: no second email

    [reminder] = [m for m in smtp_sink.messages if m["To"] == "privacy.officer@goodskinclinics.com"]
    assert reminder["Subject"] == "Privacy requests due: 1 need attention"
    assert f"2026-11-20 OVERDUE  {late.reference}" in reminder.get_content()


def test_requests_in_one_persons_name_stop_after_three_an_hour_so_nobody_can_flood_their_inbox(
    client: Client, smtp_sink: SmtpSink
) -> None:
    answers = [
        post(client, email="rosa@example.com", kind="access", REMOTE_ADDR=f"198.51.100.{number}")
        for number in range(6)
    ]
    deliver_all_due()

    assert [answer.status_code for answer in answers] == [201, 201, 201, 429, 429, 429]
    assert answers[3].json() == {
        "detail": "email: We already have several requests for this email address from the last "
        "hour. Please look for our emails in that inbox, or try again later."
    }
    assert DataRequest.objects.count() == 3
    assert len(smtp_sink.messages) == 3 * 2  # a receipt and a code for each accepted request
