"""Privacy requests come in through the form, are confirmed on the state's clock, are verified
proportionately (opt-outs never), and never reveal whether we hold anything about an address."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.test import Client

from goodskin.accounts.tests.conftest import PASSWORD, make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.queries import choices_for
from goodskin.communications.tests.conftest import opted_in, person
from goodskin.core.smtp_sink import SmtpSink
from goodskin.rights.actions.intake import open_request
from goodskin.rights.actions.verification import CodeRefused, verify_code
from goodskin.rights.models import Channel, DataRequest, Status

pytestmark = pytest.mark.django_db
NOON = "2026-11-25 12:00:00-08:00"  # the Wednesday before Thanksgiving


def ask(client: Client, **fields: str):  # type: ignore[no-untyped-def]  # a test response
    form = {"kind": "access", "state": "CA", "email": "rosa@example.com", "details": ""}
    form.update(fields)
    return client.post("/privacy/request/", form)


def code_in(message: object) -> str:
    match = re.search(r"^\s+(\d{6})\s*$", message.get_content(), re.MULTILINE)  # type: ignore[attr-defined]  # an email
    assert match is not None
    return match.group(1)


@time_machine.travel(NOON, tick=False)
def test_a_californian_request_is_confirmed_on_californias_clock_and_asks_for_a_code(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = ask(client)

    assert response["Location"] == "/privacy/request/sent/"
    request = DataRequest.objects.get()
    assert (request.status, request.rules, request.received_on) == (
        Status.RECEIPT_CONFIRMED,
        "CA",
        date(2026, 11, 25),
    )
    assert (request.receipt_due_on, request.due_on) == (date(2026, 12, 10), date(2027, 1, 9))
    received, code = smtp_sink.wait_for(2)
    assert received["Subject"] == f"We received your privacy request {request.reference}"
    assert "We will answer by Jan. 9, 2027 at the latest." in received.get_content()
    assert code["Subject"] == "Your GoodSkin verification code"
    page = client.get("/privacy/request/sent/").content.decode()
    assert f"Your reference is <strong>{request.reference}</strong>" in page
    assert f'name="reference" value="{request.reference}"' in page  # the box is filled in
    assert re.search(r'<input[^>]*name="code"[^>]*autofocus', page)  # the one thing left


def test_a_signed_in_person_is_not_asked_for_a_code_they_were_never_sent(
    client: Client, smtp_sink: SmtpSink
) -> None:
    client.force_login(make_account())
    client.post("/privacy/request/", {"kind": "access", "state": "CA", "email": "rosa@example.com"})

    page = client.get("/privacy/request/sent/").content.decode()

    assert DataRequest.objects.get().status == Status.VERIFIED
    assert 'name="code"' not in page
    assert "no code is needed" in page


@time_machine.travel(NOON, tick=False)
def test_the_emailed_code_verifies_and_wrong_codes_lock_after_five_tries(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        ask(client)
    request = DataRequest.objects.get()
    code = code_in(smtp_sink.wait_for(2)[1])

    for _ in range(5):
        with pytest.raises(CodeRefused, match="does not match"):
            verify_code(
                reference=request.reference, code="000000" if code != "000000" else "111111"
            )
    with pytest.raises(CodeRefused, match="Too many wrong codes"):
        verify_code(reference=request.reference, code=code)  # even the right one, while locked
    assert AuditEntry.objects.filter(event=Event.REQUEST_CODE_FAILED).count() == 5

    with time_machine.travel("2026-11-25 13:01:00-08:00", tick=False):
        verified = verify_code(reference=request.reference, code=code)
    assert (verified.status, verified.verification) == (Status.VERIFIED, "email_code")


@time_machine.travel(NOON, tick=False)
def test_an_opt_out_needs_no_code_and_takes_effect_at_once(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    rosa = opted_in(person("rosa@example.com"), "offers")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        ask(client, kind="opt_out", state="TX")

    request = DataRequest.objects.get()
    assert (request.status, request.verification, request.closed_on) == (
        Status.FULFILLED,
        "not_needed",
        date(2026, 11, 25),
    )
    assert choices_for(rosa)[("offers", "email")] is False
    subjects = [message["Subject"] for message in smtp_sink.wait_for(2)]
    assert subjects == [
        f"We received your privacy request {request.reference}",
        "Your opt-out is done",
    ]


@time_machine.travel(NOON, tick=False)
def test_a_signed_in_person_asking_about_their_own_account_is_verified_by_their_session(
    client: Client,
) -> None:
    make_account(email="rosa@example.com", verified=True)
    assert client.login(username="rosa@example.com", password=PASSWORD)
    ask(client, kind="delete")
    request = DataRequest.objects.get()
    assert (request.status, request.verification, request.channel) == (
        Status.VERIFIED,
        "signed_in",
        "account",
    )


@time_machine.travel(NOON, tick=False)
def test_asking_about_someone_else_looks_exactly_like_asking_about_no_one(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    make_account(email="lena@example.com")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        known = ask(client, email="lena@example.com")
        unknown = ask(Client(), email="nobody@example.com")
    assert known.status_code == unknown.status_code == 302
    assert [message["Subject"].split(" GS-")[0] for message in smtp_sink.messages] == [
        "We received your privacy request",
        "Your GoodSkin verification code",
        "We received your privacy request",
        "Your GoodSkin verification code",
    ]


@time_machine.travel(NOON, tick=False)
def test_a_repeat_within_the_window_is_linked_to_the_first_not_refused(client: Client) -> None:
    ask(client)
    ask(client)
    first, second = DataRequest.objects.order_by("pk")
    assert second.duplicate_of_id == first.pk
    assert first.duplicate_of_id is None


@time_machine.travel(NOON, tick=False)
def test_bad_input_is_a_field_error_and_stores_nothing(client: Client) -> None:
    responses = {
        "state": ask(client, state="ZZ"),
        "kind": ask(client, kind="everything"),
        "details": ask(client, kind="correct", details=""),
        "email": ask(client, email="not an address"),
    }
    for field, response in responses.items():
        assert response.status_code == 400, field
        assert response.context["form"].errors[field], field
    assert DataRequest.objects.count() == 0


@time_machine.travel(NOON, tick=False)
def test_a_sixth_request_in_an_hour_from_one_address_is_refused_with_429(client: Client) -> None:
    for number in range(5):
        assert ask(client, email=f"p{number}@example.com").status_code == 302
    sixth = ask(client, email="p6@example.com")
    assert sixth.status_code == 429
    assert DataRequest.objects.count() == 5


def test_the_account_page_lists_her_own_requests_and_nobody_elses(client: Client) -> None:
    rosa = make_account()
    make_account(email="lena@example.com")
    mine = open_request(
        kind="access",
        email="rosa@example.com",
        state="CA",
        today=date(2026, 11, 25),
        channel=Channel.ACCOUNT,
        signed_in_person=rosa.person,
    ).request
    theirs = open_request(
        kind="delete",
        email="lena@example.com",
        state="CA",
        today=date(2026, 11, 25),
        channel=Channel.WEB,
    ).request
    client.post("/accounts/login/", {"email": "rosa@example.com", "password": PASSWORD})

    page = client.get("/accounts/profile/").content.decode()

    assert mine.reference in page
    assert "In progress: answer by Jan. 9, 2027" in page
    assert theirs.reference not in page
