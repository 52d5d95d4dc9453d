"""Password change and reset, profile edits, closing an account."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import PASSWORD, make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.core.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Copper-Meadow-Lantern-7"


def path_in(body: str) -> str:
    match = re.search(r"http://testserver(/accounts/password/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def test_password_reset_link_arrives_by_email_and_sets_a_new_password(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    user = make_account()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post("/accounts/password/reset/", {"email": "Rosa@Example.com"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    [message] = smtp_sink.wait_for(1)
    assert message["Subject"] == "Reset your GoodSkin password"

    form_page = client.get(path_in(message.get_content()), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        done = client.post(
            set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )

    assert done["Location"] == "/accounts/password/reset/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert smtp_sink.wait_for(2)[1]["Subject"] == "Your GoodSkin password was changed"
    assert list(
        AuditEntry.objects.exclude(event=Event.PERSON_CREATED).values_list("event", flat=True)
    ) == [
        Event.PASSWORD_RESET_REQUESTED,
        Event.EMAIL_SENT,
        Event.PASSWORD_RESET_COMPLETED,
        Event.EMAIL_SENT,
    ]
    # the link worked once; it does not work again
    again = client.get(path_in(message.get_content()), follow=True)
    assert again.context["validlink"] is False


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert smtp_sink.messages == []
    assert AuditEntry.objects.count() == 0


def test_reset_emails_are_limited_to_three_an_hour_per_address(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    make_account()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for _ in range(5):
            response = client.post("/accounts/password/reset/", {"email": "rosa@example.com"})
            assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(smtp_sink.wait_for(3)) == 3
    assert AuditEntry.objects.filter(event=Event.PASSWORD_RESET_REQUESTED).count() == 3


def test_changing_password_needs_the_old_one_and_sends_a_notice(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    user = make_account()
    client.force_login(user)
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 400
    assert "old_password" in wrong.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        right = client.post(
            "/accounts/password/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    assert right["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)  # still signed in
    [notice] = smtp_sink.wait_for(1)
    assert notice["Subject"] == "Your GoodSkin password was changed"
    assert AuditEntry.objects.filter(event=Event.PASSWORD_CHANGED).count() == 1


def test_profile_edit_records_which_fields_changed_but_not_their_values(client: Client) -> None:
    user = make_account()
    client.force_login(user)
    response = client.post(
        "/accounts/profile/", {"full_name": "Rosa María Delgado", "preferred_language": "es"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Rosa María Delgado", "es")
    entry = AuditEntry.objects.get(event=Event.PROFILE_UPDATED)
    assert entry.data == {"fields": ["full_name", "preferred_language"]}
    assert "Rosa" not in str(entry.data)


def test_profile_edit_with_an_empty_name_is_refused_and_changes_nothing(client: Client) -> None:
    user = make_account()
    client.force_login(user)
    response = client.post("/accounts/profile/", {"full_name": "", "preferred_language": "fr"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"full_name", "preferred_language"}
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Rosa Delgado", "en")
    assert not AuditEntry.objects.filter(event=Event.PROFILE_UPDATED).exists()


def test_closing_an_account_erases_the_details_and_frees_the_address(client: Client) -> None:
    user = make_account(verified=True)
    person = user.person
    client.force_login(user)
    response = client.post("/accounts/close/", {"password": PASSWORD, "understood": "on"})

    assert response["Location"] == "/accounts/closed/"
    closed = User.objects.get(pk=user.pk)
    assert closed.full_name == ""
    assert closed.email == f"closed-{user.pk}@closed.invalid"
    assert closed.date_of_birth_sealed is None
    assert closed.email_verified_at is None
    assert closed.is_active is False
    assert closed.closed_at is not None
    assert not closed.has_usable_password()
    person.refresh_from_db()
    assert (person.email, person.phone) == (None, None)
    assert person.erased_at is not None
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(event=Event.ACCOUNT_CLOSED, subject_id=str(user.pk)).exists()
    erased = AuditEntry.objects.get(event=Event.PERSON_ERASED)
    assert erased.data == {
        "reason": "account_closed",
        "key_destroyed": True,
        "tables": ["accounts.user", "vault.person"],
        "rows": 2,
    }
    assert (
        client.post("/accounts/login/", {"email": "rosa@example.com", "password": PASSWORD})
    ).status_code == 400
    again = client.post(
        "/accounts/register/",
        {
            "full_name": "Rosa Delgado",
            "email": "rosa@example.com",
            "date_of_birth": "1990-04-25",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert again.status_code == 302
    new_account = User.objects.get(email="rosa@example.com")
    assert new_account.person_id != person.pk  # a new person, with a new key


def test_closing_needs_the_password_and_the_confirmation(client: Client) -> None:
    user = make_account()
    client.force_login(user)
    response = client.post("/accounts/close/", {"password": "wrong-password"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "password": ["That password is not right."],
        "understood": ["This field is required."],
    }
    user.refresh_from_db()
    assert user.is_active is True
    assert user.full_name == "Rosa Delgado"
    assert not AuditEntry.objects.filter(event=Event.ACCOUNT_CLOSED).exists()


def test_account_pages_need_sign_in(client: Client) -> None:
    for path in ("/accounts/profile/", "/accounts/password/", "/accounts/close/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={path}"


def test_unconfirmed_person_can_ask_for_a_new_link_three_times_an_hour(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    user = make_account()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for _ in range(4):
            assert client.post("/accounts/verify/resend/")["Location"] == "/accounts/profile/"
    messages = smtp_sink.wait_for(3)
    assert [message["Subject"] for message in messages] == [
        "Confirm your email address for GoodSkin"
    ] * 3


def test_confirmed_person_gets_no_new_link(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    user = make_account(verified=True)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post("/accounts/verify/resend/")
    assert smtp_sink.messages == []
