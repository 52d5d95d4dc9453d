"""Registration: adults only, nothing kept about a refused minor, no account enumeration."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from goodskin.accounts.actions import RegistrationRefused, register_account
from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import PASSWORD, make_account, registration
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.core.smtp_sink import SmtpSink

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
REGISTER = "/accounts/register/"


def link_in(body: str) -> str:
    match = re.search(r"http://testserver(/\S+)", body)
    assert match, body
    return match.group(1)


def test_adult_registers_and_gets_a_verification_email(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(REGISTER, registration())

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_sent")
    user = User.objects.get()
    assert (user.email, user.full_name, user.date_of_birth) == (
        "rosa@example.com",
        "Rosa Delgado",
        date(1990, 4, 25),
    )
    assert user.email_verified_at is None
    assert user.may_receive_marketing is False
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "rosa@example.com"
    assert message["Subject"] == "Confirm your email address for GoodSkin"
    assert message["X-GoodSkin-Kind"] == "essential"
    events = list(AuditEntry.objects.values_list("event", "subject_id", "data"))
    assert events == [
        (Event.PERSON_CREATED.value, str(user.person_id), {}),
        (Event.ACCOUNT_REGISTERED.value, str(user.pk), {"language": "en"}),
        (Event.EMAIL_SENT.value, str(user.person_id), {"template": "accounts.verify_email"}),
    ]


def test_verification_link_confirms_the_address_only_when_the_button_is_pressed(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(REGISTER, registration())
    link = link_in(smtp_sink.wait_for(1)[0].get_content())

    assert client.get(link).status_code == 200
    assert User.objects.get().email_verified_at is None  # a mail scanner's GET proves nothing

    response = client.post(link)

    assert response.status_code == 200
    user = User.objects.get()
    assert user.email_verified_at is not None
    assert user.may_receive_marketing is True
    assert (
        AuditEntry.objects.filter(event=Event.EMAIL_VERIFIED, subject_id=str(user.pk)).count() == 1
    )


def test_forged_verification_link_is_refused_and_verifies_nothing(client: Client) -> None:
    user = make_account()
    response = client.post("/accounts/verify/not-a-real-token/")
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None
    assert not AuditEntry.objects.filter(event=Event.EMAIL_VERIFIED).exists()


def test_person_who_turns_eighteen_today_can_register(client: Client) -> None:
    response = client.post(REGISTER, registration(date_of_birth="2008-11-29"))
    assert response.status_code == 302
    assert User.objects.get().date_of_birth == date(2008, 11, 29)


def test_seventeen_year_old_is_refused_and_nothing_about_them_is_kept(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            REGISTER, registration(date_of_birth="2008-11-30", email="teen@example.com")
        )

    assert response.status_code == 403
    page = response.content.decode()
    assert "only for adults aged 18 and over" in page
    assert "teen@example.com" not in page
    assert "Rosa Delgado" not in page
    assert User.objects.count() == 0
    assert smtp_sink.messages == []
    [entry] = AuditEntry.objects.all()
    assert entry.event == Event.REGISTRATION_REFUSED_UNDER_AGE
    assert (entry.subject_type, entry.subject_id, entry.target_id) == ("", "", "")
    assert entry.data == {"reason": "under_18"}


def test_minor_is_refused_even_when_the_rest_of_the_form_is_wrong(client: Client) -> None:
    response = client.post(
        REGISTER, registration(date_of_birth="2015-06-01", email="not-an-email", password_again="x")
    )
    assert response.status_code == 403
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("date_of_birth", "message"),
    [
        ("2027-01-01", "Your date of birth can&#x27;t be in the future."),
        ("2001-02-30", "Enter a real date, for example 1990-04-25."),
        ("25/04/1990", "Enter a real date, for example 1990-04-25."),
        ("1880-01-01", "Please check the year of your date of birth."),
        ("", "This field is required."),
    ],
)
def test_bad_date_of_birth_gets_its_own_error_and_stores_nothing(
    client: Client, date_of_birth: str, message: str
) -> None:
    response = client.post(REGISTER, registration(date_of_birth=date_of_birth))
    assert response.status_code == 400
    assert response.context["form"].errors["date_of_birth"] == [message.replace("&#x27;", "'")]
    assert User.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_ten_thousand_character_name_is_refused_on_the_name_field(client: Client) -> None:
    response = client.post(REGISTER, registration(full_name="A" * 10_000))
    assert response.status_code == 400
    assert response.context["form"].errors["full_name"] == [
        "Ensure this value has at most 150 characters (it has 10000)."
    ]
    assert User.objects.count() == 0


def test_name_sent_as_invalid_utf8_is_refused_not_stored_garbled(client: Client) -> None:
    body = (
        b"full_name=Ros%E1+Delgado&email=rosa%40example.com&date_of_birth=1990-04-25"
        b"&password=" + PASSWORD.encode() + b"&password_again=" + PASSWORD.encode()
    )
    response = client.post(REGISTER, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.context["form"].errors["full_name"] == [
        "Some characters could not be read. Please type this again."
    ]
    assert User.objects.count() == 0


def test_passwords_that_differ_or_are_common_are_refused(client: Client) -> None:
    mismatch = client.post(REGISTER, registration(password_again="Something-Else-99"))
    common = client.post(
        REGISTER, registration(password="password123", password_again="password123")
    )
    clinic = client.post(
        REGISTER, registration(password="MyGoodSkin-2026!", password_again="MyGoodSkin-2026!")
    )
    assert mismatch.context["form"].errors["password_again"] == ["The two passwords don't match."]
    assert "This password is too common." in common.context["form"].errors["password"]
    assert clinic.context["form"].errors["password"] == [
        "Please choose a password that does not contain the clinic's name or services."
    ]
    assert User.objects.count() == 0


def test_registering_an_address_that_has_an_account_in_any_case_reveals_nothing(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    existing = make_account(email="rosa@example.com")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            REGISTER, registration(email="ROSA@Example.COM", full_name="Someone Else")
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_sent")  # same as a new account
    assert User.objects.count() == 1
    existing.refresh_from_db()
    assert existing.full_name == "Rosa Delgado"
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "rosa@example.com"
    assert message["Subject"] == "Someone tried to create a GoodSkin account with your address"
    assert list(
        AuditEntry.objects.exclude(event=Event.PERSON_CREATED).values_list("event", flat=True)
    ) == [
        Event.REGISTRATION_EMAIL_TAKEN.value,
        Event.EMAIL_SENT.value,
    ]


def test_email_is_stored_lower_case_so_one_mailbox_is_one_account(client: Client) -> None:
    client.post(REGISTER, registration(email="  Rosa.Delgado@Example.COM "))
    assert User.objects.get().email == "rosa.delgado@example.com"


@pytest.mark.django_db
def test_passwords_are_stored_with_argon2(client: Client, settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # type: ignore[attr-defined]
    client.post(REGISTER, registration())
    stored = User.objects.get().password
    assert stored.startswith("argon2$argon2id$")
    assert PASSWORD not in stored


def test_spanish_visitor_gets_the_spanish_verification_email(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    client.cookies["django_language"] = "es"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(REGISTER, registration())
    assert User.objects.get().preferred_language == "es"
    [message] = smtp_sink.wait_for(1)
    assert message["Subject"] == "Confirme su correo electrónico para GoodSkin"


def test_registering_a_minor_directly_raises_and_keeps_only_the_refusal_entry() -> None:
    with pytest.raises(RegistrationRefused):
        register_account(
            full_name="Teen Ager",
            email="teen@example.com",
            password=PASSWORD,
            date_of_birth=date(2010, 1, 1),
            language="en",
            today=date(2026, 11, 29),
        )
    assert User.objects.count() == 0
    assert list(AuditEntry.objects.values_list("event", "data")) == [
        (Event.REGISTRATION_REFUSED_UNDER_AGE.value, {"reason": "under_18"})
    ]


class CountingHasher(MD5PasswordHasher):
    """A real hasher that also counts how often it hashed: the slow step of registering."""

    algorithm = "counting_md5"
    hashed = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.hashed += 1
        return super().encode(password, salt)


def test_registering_a_known_address_hashes_the_password_too_so_timing_reveals_nothing(
    client: Client, settings: Settings
) -> None:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.hashed = 0
    client.post("/accounts/register/", registration())
    assert CountingHasher.hashed == 1

    other = "another-Quiet-Cove-9"
    client.post("/accounts/register/", registration(password=other, password_again=other))
    client.post("/accounts/register/", registration(email="lena@example.com"))

    assert CountingHasher.hashed == 3
    assert User.objects.count() == 2
