"""Every staff account signs in with a password and a second factor (45 CFR 164.312(d)): an
authenticator app or a passkey, enrolled at first sign-in, with one-time recovery codes. Codes
are real TOTP codes; passkeys are real P-256 keys answering real WebAuthn ceremonies."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from goodskin.accounts.models import FactorKind, RecoveryCode, SecondFactor, User
from goodskin.accounts.tests.conftest import make_staff
from goodskin.accounts.tests.signing_in import (
    SoftwarePasskey,
    StaffClient,
    code_for,
    give_authenticator,
)
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

STAFF_PASSWORD = "Officer-Console-Pass-9"
FACTOR = "/console/sign-in/second-factor/"
OPTIONS = "/console/sign-in/passkey-options/"


def password_step(client: Client, email: str = "officer@goodskinclinics.com") -> None:
    response = client.post(
        "/accounts/login/", {"email": email, "password": STAFF_PASSWORD, "next": "/console/"}
    )
    assert response.status_code == 302
    assert response["Location"] == FACTOR


def console_open(client: Client) -> bool:
    return client.get("/console/").status_code == 200


def key_on_page(html: str) -> str:
    found = re.search(r'<code class="factor-key">([A-Z2-7 ]+)</code>', html)
    assert found is not None
    return found.group(1).replace(" ", "")


def events(kind: Event) -> int:
    return AuditEntry.objects.filter(event=kind).count()


def test_first_staff_sign_in_enrols_an_authenticator_app_and_shows_recovery_codes_once() -> None:
    officer = make_staff()
    client = Client()
    password_step(client)
    assert not console_open(client)  # the password alone opens nothing

    page = client.get(FACTOR).content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code is drawn here, by our server
    secret = key_on_page(page)
    done = client.post(FACTOR, {"code": pyotp.TOTP(secret).now()})

    assert done.status_code == 200
    codes = re.findall(
        r"<li><code>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code></li>", done.content.decode()
    )
    assert len(set(codes)) == 10
    kept = set(RecoveryCode.objects.filter(user=officer).values_list("code_hash", flat=True))
    assert len(kept) == 10
    assert not kept & set(codes)
    factor = SecondFactor.objects.get(user=officer)
    assert factor.kind == FactorKind.AUTHENTICATOR
    assert factor.secret == secret
    assert secret.encode() not in bytes(factor.secret_sealed)  # sealed under the person's key
    assert console_open(client)
    assert events(Event.SECOND_FACTOR_ADDED) == 1
    assert events(Event.SIGNED_IN) == 1
    assert client.get(FACTOR)["Location"] == "/console/login/"  # the codes are never shown again


def test_a_wrong_code_at_enrolment_is_refused_on_the_code_field_and_nothing_is_kept() -> None:
    make_staff()
    client = Client()
    password_step(client)
    secret = key_on_page(client.get(FACTOR).content.decode())
    wrong = str((int(pyotp.TOTP(secret).now()) + 1) % 1_000_000).zfill(6)

    refused = client.post(FACTOR, {"code": wrong})

    assert refused.status_code == 400
    assert "That code doesn&#x27;t match." in refused.content.decode()
    assert 'aria-invalid="true"' in refused.content.decode()
    assert not SecondFactor.objects.exists()
    assert not RecoveryCode.objects.exists()
    assert not console_open(client)
    assert key_on_page(refused.content.decode()) == secret  # the same key, still to be confirmed


def test_an_enrolled_member_of_staff_signs_in_with_the_code_their_app_shows_now() -> None:
    officer = make_staff()
    secret = give_authenticator(officer)
    client = Client()
    password_step(client)

    signed_in = client.post(FACTOR, {"code": code_for(secret)})

    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/console/"
    assert console_open(client)


def test_a_code_once_used_cannot_sign_in_again() -> None:
    officer = make_staff()
    secret = give_authenticator(officer)
    code = code_for(secret)
    first = Client()
    password_step(first)
    assert first.post(FACTOR, {"code": code}).status_code == 302

    thief = Client()
    password_step(thief)
    replayed = thief.post(FACTOR, {"code": code})

    assert replayed.status_code == 400
    assert "That code has already been used." in replayed.content.decode()
    assert not console_open(thief)
    assert events(Event.SECOND_FACTOR_FAILED) == 1


def test_wrong_codes_are_throttled_like_passwords_and_then_even_the_right_code_waits() -> None:
    officer = make_staff()
    secret = give_authenticator(officer)
    client = Client()
    password_step(client)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for attempt in range(5):
            assert client.post(FACTOR, {"code": "000000"}).status_code == 400
            clock.shift(timedelta(seconds=2**attempt))  # past the slowing-down of each try
        throttled = client.post(FACTOR, {"code": code_for(secret)})

    assert throttled.status_code == 429
    assert "Too many wrong codes." in throttled.content.decode()
    assert events(Event.SECOND_FACTOR_THROTTLED) == 1
    assert events(Event.SECOND_FACTOR_FAILED) == 5
    assert not console_open(client)


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left() -> None:
    officer = make_staff()
    give_authenticator(officer)
    from goodskin.accounts.factors import issue_recovery_codes  # noqa: PLC0415

    codes = issue_recovery_codes(user=officer)
    client = Client()
    password_step(client)
    assert client.post(FACTOR, {"code": codes[0].lower()}).status_code == 302  # any case
    client.post("/accounts/logout/")

    again = Client()
    password_step(again)
    refused = again.post(FACTOR, {"code": codes[0]})

    assert refused.status_code == 400
    assert "That recovery code has already been used." in refused.content.decode()
    assert RecoveryCode.objects.filter(user=officer, used_at__isnull=False).count() == 1
    assert AuditEntry.objects.get(event=Event.RECOVERY_CODE_USED).data == {"left": 9}


def test_the_second_step_waits_five_minutes_at_most_then_the_password_is_asked_again() -> None:
    officer = make_staff()
    secret = give_authenticator(officer)
    client = Client()
    password_step(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        late = client.post(FACTOR, {"code": code_for(secret)})

        assert late.status_code == 302
        assert late["Location"] == "/console/login/"
        assert not console_open(client)


def test_a_staff_session_that_never_gave_its_second_factor_is_ended() -> None:
    officer = make_staff()
    client = Client()  # Django's own client: force_login makes a session with no second factor
    client.force_login(officer)

    assert client.get("/console/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_patient_still_signs_in_with_their_password_alone() -> None:
    User.objects.create_user("rosa@example.com", STAFF_PASSWORD, full_name="Rosa")
    client = Client()
    response = client.post(
        "/accounts/login/", {"email": "rosa@example.com", "password": STAFF_PASSWORD}
    )
    assert response["Location"] == "/accounts/profile/"
    assert client.get("/accounts/profile/").status_code == 200
    assert not SecondFactor.objects.exists()


# --- Passkeys -------------------------------------------------------------------------------


def options(client: Client, wanted: str) -> str:
    response = client.post(OPTIONS, {"for": wanted})
    assert response.status_code == 200, response.content
    return response.content.decode()


def test_a_passkey_is_enrolled_at_first_sign_in_and_then_signs_in() -> None:
    officer = make_staff()
    passkey = SoftwarePasskey(origin="http://testserver", rp_id="testserver")
    client = Client()
    password_step(client)
    made = client.post(FACTOR, {"passkey_response": passkey.create(options(client, "create"))})
    assert made.status_code == 200
    assert "Save your recovery codes" in made.content.decode()
    factor = SecondFactor.objects.get(user=officer)
    assert factor.kind == FactorKind.PASSKEY
    assert factor.secret_sealed is None
    client.post("/accounts/logout/")

    again = Client()
    password_step(again)
    assert "Use your passkey" in again.get(FACTOR).content.decode()
    signed_in = again.post(FACTOR, {"passkey_response": passkey.get(options(again, "get"))})

    assert signed_in.status_code == 302
    assert console_open(again)
    factor.refresh_from_db()
    assert factor.sign_count == 1


def test_a_passkey_made_for_another_site_is_refused_and_nothing_is_kept() -> None:
    make_staff()
    phished = SoftwarePasskey(
        origin="https://goodskin-login.example", rp_id="goodskin-login.example"
    )
    client = Client()
    password_step(client)

    refused = client.post(FACTOR, {"passkey_response": phished.create(options(client, "create"))})

    assert refused.status_code == 400
    assert "made for another site" in refused.content.decode()
    assert not SecondFactor.objects.exists()
    assert not console_open(client)


def enrolled_passkey(officer: User) -> SoftwarePasskey:
    passkey = SoftwarePasskey(origin="http://testserver", rp_id="testserver")
    client = Client()
    password_step(client, officer.email)
    client.post(FACTOR, {"passkey_response": passkey.create(options(client, "create"))})
    assert SecondFactor.objects.filter(user=officer, kind=FactorKind.PASSKEY).exists()
    return passkey


def test_a_passkey_answer_for_another_site_or_an_earlier_challenge_does_not_sign_in() -> None:
    passkey = enrolled_passkey(make_staff())
    client = Client()
    password_step(client)
    earlier = passkey.get(options(client, "get"))
    phished = SoftwarePasskey(
        origin="https://goodskin-login.example",
        rp_id="goodskin-login.example",
        key=passkey.key,
        credential_id=passkey.credential_id,
        counter=passkey.counter,
    )

    assert (
        client.post(FACTOR, {"passkey_response": phished.get(options(client, "get"))}).status_code
        == 400
    )
    assert client.post(FACTOR, {"passkey_response": earlier}).status_code == 400
    assert not console_open(client)
    assert events(Event.SECOND_FACTOR_FAILED) == 2


def test_a_copied_passkey_whose_counter_goes_back_is_refused() -> None:
    passkey = enrolled_passkey(make_staff())
    first = Client()
    password_step(first)
    assert (
        first.post(FACTOR, {"passkey_response": passkey.get(options(first, "get"))}).status_code
        == 302
    )
    copy = SoftwarePasskey(
        origin=passkey.origin,
        rp_id=passkey.rp_id,
        key=passkey.key,
        credential_id=passkey.credential_id,
        counter=0,
    )
    second = Client()
    password_step(second)

    refused = second.post(FACTOR, {"passkey_response": copy.get(options(second, "get"))})

    assert refused.status_code == 400
    assert not console_open(second)


# --- A staff member's own sign-in page -------------------------------------------------------


def test_a_signed_in_member_of_staff_adds_a_passkey_and_makes_new_recovery_codes() -> None:
    officer = make_staff()
    give_authenticator(officer)
    client = StaffClient()
    client.force_login(officer)
    assert "Authenticator app" in client.get("/console/sign-in/yours/").content.decode()
    passkey = SoftwarePasskey(origin="http://testserver", rp_id="testserver")

    added = client.post(
        "/console/sign-in/yours/", {"passkey_response": passkey.create(options(client, "create"))}
    )
    codes = client.post("/console/sign-in/yours/", {"do": "recovery_codes"})

    assert added.status_code == 302
    assert sorted(SecondFactor.objects.filter(user=officer).values_list("kind", flat=True)) == [
        "authenticator",
        "passkey",
    ]
    assert codes.status_code == 200
    assert RecoveryCode.objects.filter(user=officer, used_at__isnull=True).count() == 10


def test_changing_how_you_sign_in_asks_for_the_second_factor_again_after_five_minutes() -> None:
    officer = make_staff()
    secret = give_authenticator(officer)
    client = StaffClient()
    client.force_login(officer)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        asked = client.post("/console/sign-in/yours/", {"do": "recovery_codes"})
        assert asked.status_code == 403
        assert not RecoveryCode.objects.exists()
        done = client.post(
            "/console/sign-in/yours/",
            {"do": "recovery_codes", "second_factor": "1", "code": code_for(secret)},
        )
    assert done.status_code == 200
    assert RecoveryCode.objects.filter(user=officer).count() == 10
