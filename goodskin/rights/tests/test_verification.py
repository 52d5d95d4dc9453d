"""Verification in proportion to risk: a code for the address, and two matching details on top
for a copy of specific pieces or deleting sensitive data. What cannot be verified is answered as
the law says, never dropped."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
import time_machine
from django.test import Client

from goodskin.accounts.tests.conftest import make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.core.smtp_sink import SmtpSink
from goodskin.rights.actions.fulfilment import fulfil_request
from goodskin.rights.actions.reminders import close_unverified
from goodskin.rights.models import DataRequest, Status
from goodskin.rights.tests.test_intake import ask, code_in

pytestmark = pytest.mark.django_db
NOON = "2026-11-25 12:00:00-08:00"
RIGHT = {"full_name": "  rosa DELGADO ", "date_of_birth": "1990-04-25", "phone": ""}
WRONG = {"full_name": "Rosa Delgado", "date_of_birth": "1991-04-25", "phone": "555 0100"}


def enter_code(client: Client, smtp_sink: SmtpSink, capture: object, **fields: str) -> DataRequest:
    with capture(execute=True):  # type: ignore[operator]
        ask(client, **fields)
    request = DataRequest.objects.get()
    code = code_in(smtp_sink.wait_for(2)[1])
    client.post("/privacy/request/verify/", {"reference": request.reference, "code": code})
    request.refresh_from_db()
    return request


def report_kind(request: DataRequest) -> str:
    request.refresh_from_db()
    assert request.report is not None
    with zipfile.ZipFile(io.BytesIO(request.report)) as archive:
        kind: str = json.loads(archive.read("report.json"))["kind"]
    return kind


@time_machine.travel(NOON, tick=False)
def test_a_copy_of_specific_pieces_needs_two_matching_details_after_the_code(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    make_account()
    request = enter_code(client, smtp_sink, django_capture_on_commit_callbacks)
    assert (request.status, request.verification) == (Status.RECEIPT_CONFIRMED, "email_code")
    assert client.get("/privacy/request/details/").status_code == 200

    refused = client.post("/privacy/request/details/", WRONG)
    assert refused.status_code == 400
    assert "These details do not match what we hold." in refused.content.decode()
    request.refresh_from_db()
    assert (request.status, request.code_attempts) == (Status.RECEIPT_CONFIRMED, 1)

    accepted = client.post("/privacy/request/details/", RIGHT)
    assert accepted.status_code == 200
    assert "Thank you, that is confirmed" in accepted.content.decode()
    request.refresh_from_db()
    assert (request.status, request.verification, request.categories_only) == (
        Status.VERIFIED,
        "details",
        False,
    )
    fulfil_request(request=request, today=date(2026, 11, 30))
    assert report_kind(request) == "access"
    failed = AuditEntry.objects.get(event=Event.REQUEST_CODE_FAILED)
    assert failed.data == {"attempts": 1, "step": "details"}  # which details: never recorded


@time_machine.travel(NOON, tick=False)
def test_one_detail_is_not_enough_and_is_a_form_error_that_counts_no_try(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    make_account()
    request = enter_code(client, smtp_sink, django_capture_on_commit_callbacks)
    response = client.post("/privacy/request/details/", {"full_name": "Rosa Delgado"})
    assert response.status_code == 400
    assert "Give at least two of the three details." in response.content.decode()
    request.refresh_from_db()
    assert (request.status, request.code_attempts) == (Status.RECEIPT_CONFIRMED, 0)


@time_machine.travel(NOON, tick=False)
def test_five_wrong_detail_tries_lock_even_the_right_ones_for_an_hour(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    make_account()
    request = enter_code(client, smtp_sink, django_capture_on_commit_callbacks)
    for _ in range(5):
        client.post("/privacy/request/details/", WRONG)
    locked = client.post("/privacy/request/details/", RIGHT)
    assert "Too many tries. Try again in an hour." in locked.content.decode()
    request.refresh_from_db()
    assert request.status == Status.RECEIPT_CONFIRMED


def test_the_details_step_belongs_to_the_browser_that_entered_the_code() -> None:
    response = Client().post("/privacy/request/details/", RIGHT)
    assert response.status_code == 302
    assert response["Location"] == "/privacy/request/sent/"


@time_machine.travel(NOON, tick=False)
def test_with_fewer_than_two_details_on_file_a_copy_is_answered_with_the_categories(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    request = enter_code(client, smtp_sink, django_capture_on_commit_callbacks)  # no account
    assert (request.status, request.verification, request.categories_only) == (
        Status.VERIFIED,
        "email_code",
        True,
    )
    fulfil_request(request=request, today=date(2026, 11, 30))
    assert report_kind(request) == "know"


@time_machine.travel(NOON, tick=False)
def test_a_copy_whose_details_never_matched_gets_the_categories_on_its_due_date(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    make_account()
    request = enter_code(client, smtp_sink, django_capture_on_commit_callbacks)
    client.post("/privacy/request/details/", WRONG)

    assert close_unverified(today=request.due_on) == 0  # not yet late
    assert close_unverified(today=date(2027, 1, 10)) == 1

    request.refresh_from_db()
    assert (request.status, request.categories_only) == (Status.FULFILLED, True)
    assert report_kind(request) == "know"


@time_machine.travel(NOON, tick=False)
def test_deleting_sensitive_data_needs_the_details_but_an_ordinary_deletion_only_the_code(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    make_account()  # a sealed date of birth: sensitive
    sensitive = enter_code(client, smtp_sink, django_capture_on_commit_callbacks, kind="delete")
    assert (sensitive.status, sensitive.verification) == (Status.RECEIPT_CONFIRMED, "email_code")

    DataRequest.objects.all().delete()
    smtp_sink.clear()
    ordinary = enter_code(
        Client(),
        smtp_sink,
        django_capture_on_commit_callbacks,
        kind="delete",
        email="lena@example.com",
    )
    assert (ordinary.status, ordinary.verification) == (Status.VERIFIED, "email_code")
