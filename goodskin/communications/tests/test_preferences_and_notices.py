"""The preference centre in the account, and the notification centre with read receipts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import PASSWORD, make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.actions.notices import mark_notices_read, post_notice
from goodskin.communications.models import Interest, Notice
from goodskin.communications.queries import choices_for
from goodskin.website.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosa(client: Client):  # type: ignore[no-untyped-def]  # returns a User
    user = make_account(verified=True)
    assert client.login(username="rosa@example.com", password=PASSWORD)
    return user


def test_marketing_is_off_and_reminders_on_until_the_person_chooses(rosa: object) -> None:
    assert choices_for(rosa.person) == {  # type: ignore[attr-defined]  # a User
        ("offers", "email"): False,
        ("offers", "sms"): False,
        ("newsletter", "email"): False,
        ("newsletter", "sms"): False,
        ("reminders", "email"): True,
        ("reminders", "sms"): True,
    }


def test_the_account_page_saves_topics_clinic_interests_and_language(
    client: Client, rosa: object
) -> None:
    facial = Service.objects.create(
        slug="hydrafacial",
        category="facials",
        name_en="Hydrafacial",
        summary_en="-",
        duration_minutes=45,
    )
    page = client.get("/accounts/messages/")
    assert page.status_code == 200
    assert 'name="offers_email"' in page.content.decode()

    saved = client.post(
        "/accounts/messages/",
        {
            "offers_email": "on",
            "reminders_email": "on",
            "home_clinic": "",
            "interests": [str(facial.pk)],
            "language": "es",
        },
    )

    assert saved["Location"] == "/accounts/messages/"
    person = rosa.person  # type: ignore[attr-defined]  # a User
    assert choices_for(person)[("offers", "email")] is True
    # No phone, so no text-message switches were shown, and those choices were left alone.
    assert 'name="offers_sms"' not in page.content.decode()
    assert choices_for(person)[("offers", "sms")] is False
    assert list(Interest.objects.filter(person=person).values_list("service_id", flat=True)) == [
        facial.pk
    ]
    assert person.contact_preferences.language == "es"
    entries = AuditEntry.objects.filter(event=Event.SUBSCRIPTION_CHANGED).order_by("sequence")
    assert [entry.data for entry in entries] == [
        {"changed": ["offers:email"], "source": "account", "campaign": None},
        {"fields": ["language", "interests"], "source": "account"},
    ]


def test_an_unknown_clinic_is_a_field_error_and_changes_nothing(
    client: Client, rosa: object, unchanged: Any
) -> None:
    with unchanged():
        response = client.post(
            "/accounts/messages/", {"offers_email": "on", "home_clinic": "999", "language": "en"}
        )
    assert response.status_code == 400
    assert "home_clinic" in response.context["form"].errors
    assert choices_for(rosa.person)[("offers", "email")] is False  # type: ignore[attr-defined]  # a User


def test_the_preference_centre_needs_a_sign_in(client: Client) -> None:
    response = client.get("/accounts/messages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_notice_shows_as_unread_in_the_header_until_read_and_the_read_time_is_kept(
    client: Client, rosa: object
) -> None:
    person = rosa.person  # type: ignore[attr-defined]  # a User
    notice = post_notice(
        person=person,
        kind="policy",
        title="Our privacy policy is changing",
        body="The new version takes effect on 29 December.",
        link="/privacy/",
    )
    assert notice is not None
    home = client.get("/")
    assert '1<span class="sr-only"> unread</span>' in home.content.decode()

    listing = client.get("/accounts/notices/")
    assert "Our privacy policy is changing" in listing.content.decode()
    assert Notice.objects.get().read_at is None  # looking is not a receipt; the button is

    client.post("/accounts/notices/read/", {"notice": str(notice.pk)})
    first_read = Notice.objects.get().read_at
    assert first_read is not None
    client.post("/accounts/notices/read/", {"notice": "all"})
    assert Notice.objects.get().read_at == first_read
    assert AuditEntry.objects.filter(event=Event.NOTICE_READ).count() == 1
    assert 'sr-only"> unread' not in client.get("/").content.decode()


def test_someone_elses_notice_cannot_be_marked_and_looks_like_a_missing_one(
    client: Client, rosa: object
) -> None:
    other = make_account(email="lena@example.com")
    theirs = post_notice(person=other.person, kind="account", title="Hi", body="x")
    assert theirs is not None
    response = client.post("/accounts/notices/read/", {"notice": str(theirs.pk)})
    missing = client.post("/accounts/notices/read/", {"notice": "987654"})
    assert response.status_code == missing.status_code == 404
    assert Notice.objects.get(pk=theirs.pk).read_at is None


def test_a_notice_with_a_used_dedupe_key_is_not_posted_twice(rosa: object) -> None:
    person = rosa.person  # type: ignore[attr-defined]  # a User
    assert (
        post_notice(person=person, kind="policy", title="A", body="B", dedupe_key="policy:2")
        is not None
    )
    assert (
        post_notice(person=person, kind="policy", title="A", body="B", dedupe_key="policy:2")
        is None
    )
    assert mark_notices_read(person=person, notices=Notice.objects.all()) == 1


def test_one_button_turns_every_optional_message_off_and_essential_mail_still_flows(
    client: Client, rosa: object
) -> None:
    person = rosa.person  # type: ignore[attr-defined]  # a User
    client.post(
        "/accounts/messages/",
        {"offers_email": "on", "news_email": "on", "reminders_email": "on", "language": "en"},
    )
    assert choices_for(person)[("offers", "email")] is True

    done = client.post("/accounts/messages/", {"everything_off": "1"}, follow=True)

    assert set(choices_for(person).values()) == {False}
    assert "we send you no marketing and no reminders" in done.content.decode()


def test_my_messages_names_treatments_in_spanish_and_the_console_stays_english(
    client: Client,
) -> None:

    Service.objects.create(
        slug="chemical-peel",
        category="facials",
        name_en="Chemical peel",
        name_es="Peeling químico",
        summary_en="-",
        duration_minutes=45,
    )
    client.force_login(make_account(language="es"))
    client.cookies["django_language"] = "es"
    page = client.get("/accounts/messages/").content.decode()
    assert "Peeling químico" in page
    assert "Chemical peel" not in page

    staff = User.objects.create_user(
        "officer@goodskinclinics.com", "Officer-Console-Pass-9", full_name="Pat", is_staff=True
    )
    client.force_login(staff)
    console = client.get("/console/").content.decode()
    assert '<html lang="en"' in console
    assert "Log out" in console or "Log Out" in console
    assert "Terminar sesión" not in console
