"""Appeals name the decision they appeal and run on the appeal clock; authorised agents need the
person's signed permission and the person's own confirmation; a parent gets one verified answer
that tells them nothing about anyone but a child."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from goodskin.accounts.tests.conftest import make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.queries import belongs_to_a_child
from goodskin.core.smtp_sink import SmtpSink
from goodskin.rights.actions.common import TransitionRefused
from goodskin.rights.actions.fulfilment import deny_request, fulfil_request
from goodskin.rights.actions.intake import Agent, Document, open_request
from goodskin.rights.actions.minors import dismiss_minors_case, erase_minor
from goodskin.rights.models import Channel, DataRequest, MinorsCase, Status
from goodskin.rights.tests.test_intake import code_in
from goodskin.vault.models import Person

pytestmark = pytest.mark.django_db
NOON = "2026-11-25 12:00:00-08:00"
TODAY = date(2026, 11, 25)
PDF = b"%PDF-1.7\n% signed permission\n"


def denied(*, state: str = "VA") -> DataRequest:
    account = make_account()
    request = open_request(
        kind="delete",
        email="rosa@example.com",
        state=state,
        today=TODAY - timedelta(days=10),
        channel=Channel.ACCOUNT,
        signed_in_person=account.person,
    ).request
    return deny_request(request=request, reason="We must keep treatment records.", today=TODAY)


def post(client: Client, **fields: object):  # type: ignore[no-untyped-def]  # a test response
    form: dict[str, object] = {"kind": "access", "state": "CA", "email": "rosa@example.com"}
    form.update(fields)
    return client.post("/privacy/request/", form)


def pdf(content: bytes = PDF, name: str = "permission.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# Appeals


def test_an_appeal_names_the_decision_it_appeals_and_runs_on_the_appeal_clock() -> None:
    original = denied(state="VA")
    opened = open_request(
        kind="appeal",
        email="rosa@example.com",
        state="VA",
        today=TODAY,
        channel=Channel.WEB,
        appeal_of=f" {original.reference.lower()} ",
    )
    appeal = opened.request
    assert (appeal.appeal_of, appeal.rules, appeal.due_on) == (
        original,
        "VA",
        TODAY + timedelta(days=60),  # Virginia: 60 days to decide an appeal
    )


def test_a_californian_appeal_runs_on_the_promise_clock_since_the_law_has_none() -> None:
    original = denied(state="CA")
    appeal = open_request(
        kind="appeal",
        email="rosa@example.com",
        state="CA",
        today=TODAY,
        channel=Channel.WEB,
        appeal_of=original.reference,
    ).request
    assert (appeal.rules, appeal.due_on) == ("CA", TODAY + timedelta(days=45))


def test_appealing_someone_elses_decision_looks_exactly_like_a_made_up_reference(
    client: Client,
) -> None:
    original = denied()
    theirs = post(
        client, kind="appeal", state="VA", email="lena@example.com", appeal_of=original.reference
    )
    made_up = post(
        client, kind="appeal", state="VA", email="rosa@example.com", appeal_of="GS-ZZZZZZZZ"
    )
    for response in (theirs, made_up):
        assert response.status_code == 400
        assert "We cannot find a decided request with that reference" in response.content.decode()
    assert DataRequest.objects.filter(kind="appeal").count() == 0


def test_an_appeal_without_a_reference_is_a_field_error(client: Client) -> None:
    response = post(client, kind="appeal")
    assert response.status_code == 400
    assert "Give the reference of the answer you are appealing." in response.content.decode()
    assert DataRequest.objects.count() == 0


def test_the_denial_links_to_an_appeal_form_filled_in_with_the_reference(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        original = denied()
    letter = next(m for m in smtp_sink.wait_for(2) if m["Subject"].startswith("Our answer"))
    link = f"http://testserver/privacy/request/?appeal={original.reference}"
    assert link in letter.get_content()
    page = client.get(link.removeprefix("http://testserver")).content.decode()
    assert f'value="{original.reference}"' in page
    assert '<input type="radio" name="kind" value="appeal" id="id_kind_9" required checked>' in page


def test_a_successful_appeal_reopens_the_request_and_a_failed_one_names_the_regulator(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    original = denied()
    rosa = Person.objects.get(email="rosa@example.com")

    def appeal() -> DataRequest:
        return open_request(
            kind="appeal",
            email="rosa@example.com",
            state="VA",
            today=TODAY,
            channel=Channel.ACCOUNT,
            signed_in_person=rosa,
            appeal_of=original.reference,
        ).request

    first = appeal()
    fulfil_request(request=first, today=TODAY, note="You are right: the records can go.")
    original.refresh_from_db()
    assert (original.status, original.closed_on, original.extended_due_on) == (
        Status.IN_PROGRESS,
        None,
        TODAY + timedelta(days=60),
    )
    assert AuditEntry.objects.filter(event=Event.REQUEST_REOPENED).count() == 1

    deny_request(request=original, reason="A legal hold now applies.", today=TODAY)
    smtp_sink.clear()
    second = appeal()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        deny_request(request=second, reason="The hold is a court order.", today=TODAY)
    smtp_sink.wait_for(2)
    answer = next(
        m for m in smtp_sink.messages if m["Subject"] == f"Our answer to request {second.reference}"
    )
    body = answer.get_content()
    assert f"We have looked again at our answer to request {original.reference}" in body
    assert "you may complain to the Virginia Attorney General." in body
    original.refresh_from_db()
    assert original.status == Status.DENIED  # a failed appeal reopens nothing


# Authorised agents


def test_an_agent_without_signed_permission_is_refused_on_the_file_field(client: Client) -> None:
    response = post(client, agent="on", agent_name="Ana Pérez", agent_email="ana@agents.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "An authorised agent must attach the person&#x27;s signed permission." in html
    assert DataRequest.objects.count() == 0
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf(b"MZ\x90\x00 not a pdf", "permission.pdf"), "Attach a PDF, JPEG or PNG file."),
        (pdf(b"%PDF-" + b"0" * (5 * 1024 * 1024), "big.pdf"), "Attach a file of up to 5 MB."),
    ],
)
def test_a_permission_file_is_judged_by_its_bytes_and_size_not_its_name(
    client: Client, upload: SimpleUploadedFile, message: str
) -> None:
    response = post(
        client,
        agent="on",
        agent_name="Ana Pérez",
        agent_email="ana@agents.example",
        document=upload,
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert DataRequest.objects.count() == 0


def test_an_agent_name_that_looks_like_a_web_address_is_refused(client: Client) -> None:
    response = post(
        client,
        agent="on",
        agent_name="Claim at evil.example",
        agent_email="ana@agents.example",
        document=pdf(),
    )
    assert "Use letters, spaces and . , &#x27; &amp; - only." in response.content.decode()
    assert DataRequest.objects.count() == 0


@time_machine.travel(NOON, tick=False)
def test_an_agents_request_goes_ahead_only_when_the_person_confirms_with_their_own_code(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object, officer: Client
) -> None:
    make_account()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = post(
            client,
            kind="know",
            agent="on",
            agent_name="Ana Pérez",
            agent_email="ana@agents.example",
            document=pdf(),
        )
    assert response.status_code == 302
    request = DataRequest.objects.get()
    assert (request.status, request.agent, request.document, request.document_type) == (
        Status.RECEIPT_CONFIRMED,
        "Ana Pérez\nana@agents.example",
        PDF,
        "application/pdf",
    )
    receipt, code_email = smtp_sink.wait_for(2)
    assert {receipt["To"], code_email["To"]} == {"rosa@example.com"}  # nothing to the agent
    assert "made for you by Ana Pérez" in receipt.get_content()
    assert "Ana Pérez made this request for you as your authorised agent." in (
        code_email.get_content()
    )

    client.post(
        "/privacy/request/verify/",
        {"reference": request.reference, "code": code_in(code_email)},
    )
    request.refresh_from_db()
    assert (request.status, request.verification) == (Status.VERIFIED, "email_code")

    document = officer.get(f"/console/requests/{request.reference}/document/")
    assert (document.status_code, document.content, document["Content-Type"]) == (
        200,
        PDF,
        "application/pdf",
    )
    assert AuditEntry.objects.filter(event=Event.REQUEST_DOCUMENT_OPENED).count() == 1
    assert Client().get(f"/console/requests/{request.reference}/document/").status_code == 302


def test_a_signed_in_agent_is_not_verified_by_their_own_session(client: Client) -> None:
    agent = make_account(email="ana@agents.example")
    rosa = make_account()
    opened = open_request(
        kind="access",
        email="rosa@example.com",
        state="CA",
        today=TODAY,
        channel=Channel.WEB,
        signed_in_person=rosa.person,  # even a session matching the person is not the person here
        agent=Agent(name="Ana Pérez", email=agent.email),
        document=Document(PDF, "application/pdf"),
    )
    assert (opened.needs_code, opened.request.status) == (True, Status.RECEIPT_CONFIRMED)


# Parents and guardians


def parent_asks(client: Client, smtp_sink: SmtpSink, capture: object, child: str) -> DataRequest:
    with capture(execute=True):  # type: ignore[operator]
        response = post(
            client,
            kind="child",
            email="maria@example.com",
            child_email=child,
            document=pdf(b"%PDF-1.4 birth certificate"),
        )
    assert response.status_code == 302
    request = DataRequest.objects.get(kind="child", child_sealed__isnull=False)
    code = code_in(smtp_sink.wait_for(2)[1])
    with capture(execute=True):  # type: ignore[operator]
        client.post("/privacy/request/verify/", {"reference": request.reference, "code": code})
    request.refresh_from_db()
    return request


def answer_to_parent(smtp_sink: SmtpSink, reference: str) -> str:
    letter = next(
        m
        for m in smtp_sink.messages
        if m["Subject"] == f"Our answer about your child (request {reference})"
    )
    assert letter["To"] == "maria@example.com"
    return re.sub(r"GS-[A-Z0-9]{8}", "GS-…", letter.get_content())


@time_machine.travel(NOON, tick=False)
def test_a_verified_parent_gets_the_same_answer_whether_or_not_we_knew_the_child(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    make_account(email="teen@example.com")  # a child who signed up claiming to be an adult
    answers = []
    for child in ("teen@example.com", "never.seen@example.com"):
        smtp_sink.clear()
        request = parent_asks(client, smtp_sink, django_capture_on_commit_callbacks, child)
        assert (request.status, request.child_email) == (Status.IN_PROGRESS, None)
        case = MinorsCase.objects.get(request=request)
        assert (case.source, case.person.email) == ("parent", child)
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            assert erase_minor(case=case) is True
        request.refresh_from_db()
        assert request.status == Status.FULFILLED
        answers.append(answer_to_parent(smtp_sink, request.reference))
        assert belongs_to_a_child(child)
    assert answers[0] == answers[1]
    assert "we now hold no information about anyone under 18 at that address" in answers[0]
    assert Person.objects.get(email="maria@example.com").erased_at is None  # the parent stays


@time_machine.travel(NOON, tick=False)
def test_an_adult_named_by_a_parent_is_kept_and_the_parent_hears_the_same_answer(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    adult = make_account(email="son@example.com")
    request = parent_asks(client, smtp_sink, django_capture_on_commit_callbacks, "son@example.com")
    case = MinorsCase.objects.get(request=request)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        dismiss_minors_case(case=case, note="ID seen at the clinic: 24 years old")
    assert "we now hold no information about anyone under 18" in answer_to_parent(
        smtp_sink, request.reference
    )
    assert "24 years" not in answer_to_parent(smtp_sink, request.reference)
    adult.person.refresh_from_db()
    assert adult.person.erased_at is None
    assert not belongs_to_a_child("son@example.com")


def test_a_parent_must_give_a_childs_address_that_is_not_their_own(client: Client) -> None:
    missing = post(client, kind="child", email="maria@example.com")
    own = post(client, kind="child", email="maria@example.com", child_email="Maria@Example.com")
    assert "Give your child&#x27;s email address." in missing.content.decode()
    assert "Give your own address above and your child&#x27;s address here." in (
        own.content.decode()
    )
    assert DataRequest.objects.count() == 0


def test_a_parents_request_cannot_be_fulfilled_from_the_queue_only_through_the_case() -> None:
    request = open_request(
        kind="child",
        email="maria@example.com",
        state="CA",
        today=TODAY,
        channel=Channel.MAIL,
        child_email="teen@example.com",
    ).request
    request.status = Status.VERIFIED
    request.save()
    with pytest.raises(TransitionRefused, match="Decide the minors case"):
        fulfil_request(request=request, today=TODAY)
