"""The consultation and contact forms: what is kept, what is refused, what never reaches storage."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from goodskin.accounts.tests.conftest import frozen_today  # noqa: F401  (fixture)
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.core.smtp_sink import SmtpSink
from goodskin.submissions.models import ConsultationRequest, ContactMessage
from goodskin.vault.actions import erase_person
from goodskin.vault.models import ErasureReason, Person, PersonKey
from goodskin.website.models import Clinic, Service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture(autouse=True)
def demo() -> None:
    call_command("load_demo_data", "--no-staff", stdout=StringIO())


def consultation(**overrides: str) -> dict[str, str]:
    form = {
        "full_name": "Rosa Delgado",
        "email": "Rosa@Example.com",
        "phone": "(310) 206-1234",
        "treatment": str(Service.objects.get(slug="hydrating-facial").pk),
        "clinic": str(Clinic.objects.get(slug="brentwood").pk),
        "preferred_time": "weekday_morning",
        "message": "First facial, a bit nervous!",
        "website": "",
    }
    form.update(overrides)
    return form


def test_visitor_books_a_consultation_and_gets_a_confirmation(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post("/consultation/", consultation())
    assert response["Location"] == "/consultation/sent/"
    request = ConsultationRequest.objects.get()
    assert (request.full_name, request.email, request.phone) == (
        "Rosa Delgado",
        "rosa@example.com",
        "+13102061234",
    )
    assert request.message == "First facial, a bit nervous!"
    assert json.loads(request.findings or "") == []
    assert request.person == Person.objects.get(email="rosa@example.com")
    [message] = smtp_sink.wait_for(1)
    assert (message["To"], message["Subject"]) == (
        "rosa@example.com",
        "We have your consultation request",
    )
    assert "nervous" not in message.get_content()  # the confirmation never echoes the message
    received = AuditEntry.objects.get(event=Event.SUBMISSION_RECEIVED)
    assert received.data == {"removed": [], "flags": []}


def test_message_is_sealed_in_the_database() -> None:
    Client().post("/consultation/", consultation(message="rosacea flare-ups on my cheeks"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT message_sealed FROM submissions_consultationrequest")
        stored = bytes(cursor.fetchone()[0])
    assert b"rosacea" not in stored
    assert ConsultationRequest.objects.get().message == "rosacea flare-ups on my cheeks"


def test_a_card_number_typed_in_the_message_is_removed_and_the_sender_warned(
    client: Client,
) -> None:
    response = client.post(
        "/consultation/",
        consultation(message="Please charge 4111 1111 1111 1111 for the deposit"),
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "We removed what looked like a card number from your message before saving it." in page
    request = ConsultationRequest.objects.get()
    assert request.message == "Please charge [removed] for the deposit"
    assert json.loads(request.findings or "") == ["card"]
    entry = AuditEntry.objects.get(event=Event.SUBMISSION_RECEIVED)
    assert entry.data == {"removed": ["card"], "flags": ["card"]}
    assert "4111" not in str(list(AuditEntry.objects.values_list("data", flat=True)))


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "We removed what looked like a card number and a Social Security number from"),
        ("es", "y un número de Seguro Social"),
    ],
)
def test_the_warning_lists_everything_removed_as_a_person_would_say_it(
    client: Client, language: str, said: str
) -> None:
    client.cookies["django_language"] = language
    response = client.post(
        "/consultation/",
        consultation(message="Card 4111 1111 1111 1111, SSN 123-45-6789."),
        follow=True,
    )
    assert said in response.content.decode()


def test_an_ssn_in_a_contact_message_never_reaches_storage(client: Client) -> None:
    client.post(
        "/contact/",
        {
            "full_name": "Rosa Delgado",
            "email": "rosa@example.com",
            "phone": "",
            "topic": "privacy",
            "message": "My SSN 123-45-6789 is wrong on file",
            "website": "",
        },
    )
    message = ContactMessage.objects.get()
    assert message.message == "My SSN [removed] is wrong on file"
    with connection.cursor() as cursor:
        cursor.execute("SELECT message_sealed FROM submissions_contactmessage")
        assert b"6789" not in bytes(cursor.fetchone()[0])


def test_a_writer_who_says_they_are_sixteen_is_recorded_for_review(client: Client) -> None:
    client.post("/consultation/", consultation(message="I'm 16, can I get lip filler?"))
    request = ConsultationRequest.objects.get()
    [signal] = AuditEntry.objects.filter(event=Event.AGE_SIGNAL_RECEIVED)
    assert (signal.target_type, signal.target_id, signal.data) == (
        "submissions.consultationrequest",
        str(request.pk),
        {"source": "message"},
    )


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        (
            "email",
            "rosa@localhost",
            "Enter an email address we can write to, like name@example.com.",
        ),
        ("email", "not an email", "Enter an email address we can write to, like name@example.com."),
        ("phone", "12345", "Enter a phone number we can call, like (310) 555-0142."),
        ("full_name", "R" * 151, "Ensure this value has at most 150 characters (it has 151)."),
        ("message", "x" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
        (
            "preferred_time",
            "midnight",
            "Select a valid choice. midnight is not one of the available choices.",
        ),
    ],
)
def test_bad_input_gets_an_error_on_its_field_and_nothing_is_stored(
    client: Client, field: str, value: str, error: str
) -> None:
    response = client.post("/consultation/", consultation(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [error]}
    assert ConsultationRequest.objects.count() == 0
    assert Person.objects.count() == 0
    assert not AuditEntry.objects.filter(event=Event.SUBMISSION_RECEIVED).exists()


def test_a_bot_filling_the_hidden_field_is_told_ok_and_nothing_is_kept(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post("/consultation/", consultation(website="http://spam.example"))
    assert response["Location"] == "/consultation/sent/"
    assert ConsultationRequest.objects.count() == 0
    assert Person.objects.count() == 0
    assert smtp_sink.messages == []


def test_a_sixth_form_in_an_hour_from_one_address_is_refused(client: Client) -> None:
    for number in range(5):
        assert client.post("/consultation/", consultation(email=f"p{number}@example.com"))[
            "Location"
        ]
    response = client.post("/consultation/", consultation(email="p6@example.com"))
    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [
        "You have sent several forms in the last hour. Please call us, or try again later."
    ]
    assert ConsultationRequest.objects.count() == 5
    # Nothing about the refused sender was made: no person, and no key in the keyring database
    # (which the refused form's transaction could not have rolled back).
    assert not Person.objects.filter(email="p6@example.com").exists()
    assert PersonKey.objects.count() == 5


def test_forms_from_the_same_email_belong_to_one_person(client: Client) -> None:
    client.post("/consultation/", consultation())
    client.post(
        "/contact/",
        {
            "full_name": "Rosa D.",
            "email": "ROSA@example.com",
            "phone": "",
            "topic": "question",
            "message": "Do you do peels?",
            "website": "",
        },
    )
    person = Person.objects.get()
    assert ConsultationRequest.objects.get().person == person
    assert ContactMessage.objects.get().person == person


def test_erasing_the_person_deletes_their_submissions(client: Client) -> None:
    client.post("/consultation/", consultation())
    client.post(
        "/contact/",
        {
            "full_name": "Rosa",
            "email": "rosa@example.com",
            "phone": "",
            "topic": "question",
            "message": "hello",
            "website": "",
        },
    )
    report = erase_person(person=Person.objects.get(), reason=ErasureReason.DELETION_REQUEST)
    assert report.rows["submissions.ConsultationRequest"] == 1
    assert report.rows["submissions.ContactMessage"] == 1
    assert ConsultationRequest.objects.count() == ContactMessage.objects.count() == 0
