"""Unsubscribing, as RFC 8058, CAN-SPAM and the policy's "unsubscribe process at the bottom of
the email" require: one click from the mail program, a confirm button for people, and links
that reveal nothing and cannot be forged."""

from __future__ import annotations

import json
import re
import urllib.parse
import zlib

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.actions.campaigns import queue_campaign_batch, schedule_campaign
from goodskin.communications.actions.choices import record_opt_out_for_address
from goodskin.communications.models import Campaign, Source, Subscription, Suppression
from goodskin.communications.queries import choices_for
from goodskin.communications.tests.conftest import campaign, deliver, opted_in, person
from goodskin.communications.tokens import (
    UnsubscribeLink,
    make_unsubscribe_token,
    read_unsubscribe_token,
)
from goodskin.core.smtp_sink import SmtpSink
from goodskin.vault.actions import erase_person, person_for_email
from goodskin.vault.models import ErasureReason, Person

pytestmark = pytest.mark.django_db


def sent_offer(smtp_sink: SmtpSink, *, language: str = "en") -> tuple[Person, str, Campaign]:
    """Rosa, subscribed to offers and the newsletter, gets a real campaign email; return her,
    the one-click URL from its List-Unsubscribe header, and the campaign."""
    rosa = opted_in(person("rosa@example.com"), "offers", "newsletter", language=language)
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    queue_campaign_batch(campaign_id=offer.pk)
    deliver()
    [message] = smtp_sink.wait_for(1)
    https_uri = re.match(r"<([^>]+)>, <mailto:", message["List-Unsubscribe"])
    assert https_uri is not None
    return rosa, https_uri.group(1), offer


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def test_one_click_post_unsubscribes_at_once_with_200_and_no_redirect_or_cookie(
    smtp_sink: SmtpSink,
) -> None:
    rosa, url, offer = sent_offer(smtp_sink)
    mail_program = Client(enforce_csrf_checks=True)  # no cookie, no session, no CSRF token

    response = mail_program.post(
        path_of(url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Location" not in response
    assert response.cookies == {}
    assert choices_for(rosa)[("offers", "email")] is False
    assert choices_for(rosa)[("newsletter", "email")] is True  # only the list the mail came from
    assert Subscription.objects.get(person=rosa, topic="offers", channel="email").source == (
        Source.ONE_CLICK
    )
    offer.refresh_from_db()
    assert offer.unsubscribed == 1
    entry = AuditEntry.objects.get(event=Event.SUBSCRIPTION_CHANGED, data__source="one_click")
    assert entry.data == {"changed": ["offers:email"], "source": "one_click", "campaign": offer.pk}


def test_opening_the_link_shows_a_confirm_button_and_changes_nothing(smtp_sink: SmtpSink) -> None:
    rosa, url, _ = sent_offer(smtp_sink)
    audit_before = AuditEntry.objects.count()

    page = Client().get(path_of(url))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Stop getting “Offers and events” from GoodSkin Clinics?" in html
    assert '<button type="submit" name="action" value="unsubscribe" class="button">' in html
    assert choices_for(rosa)[("offers", "email")] is True
    assert AuditEntry.objects.count() == audit_before


def test_the_confirm_button_unsubscribes_and_all_marketing_suppresses_the_address(
    smtp_sink: SmtpSink,
) -> None:
    rosa, url, _ = sent_offer(smtp_sink)
    visitor = Client()

    visitor.post(path_of(url), {"action": "unsubscribe"})
    assert choices_for(rosa)[("offers", "email")] is False
    assert list(Suppression.objects.values_list("topic", "reason")) == [("offers", "unsubscribed")]

    done = visitor.post(path_of(url), {"action": "unsubscribe_all"})
    assert "you will get no marketing from us at all" in done.content.decode()
    assert choices_for(rosa)[("newsletter", "email")] is False
    assert sorted(Suppression.objects.values_list("channel", "topic", "reason")) == [
        ("email", "", "unsubscribed"),
        ("email", "newsletter", "unsubscribed"),
        ("email", "offers", "unsubscribed"),
    ]


def test_the_preference_centre_behind_the_link_saves_each_switch(smtp_sink: SmtpSink) -> None:
    rosa, url, _ = sent_offer(smtp_sink)

    Client().post(
        path_of(url),
        {"action": "save", "newsletter_email": "on", "reminders_email": "on", "reminders_sms": ""},
    )

    assert choices_for(rosa) == {
        ("offers", "email"): False,
        ("offers", "sms"): False,
        ("newsletter", "email"): True,
        ("newsletter", "sms"): False,
        ("reminders", "email"): True,
        ("reminders", "sms"): False,
    }


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda token: token[:-6], id="truncated"),
        pytest.param(lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), id="forged"),
        pytest.param(lambda token: "garbage", id="garbage"),
    ],
)
def test_a_damaged_link_changes_nothing_and_says_so_plainly(
    smtp_sink: SmtpSink, damage: object
) -> None:
    rosa, url, _ = sent_offer(smtp_sink)
    token = path_of(url).rstrip("/").rsplit("/", 1)[1]
    bad = f"/unsubscribe/{damage(token)}/"  # type: ignore[operator]  # a lambda
    audit_before = AuditEntry.objects.count()

    for response in (
        Client().get(bad),
        Client().post(
            bad, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ),
        Client().post(bad, {"action": "unsubscribe_all"}),
    ):
        assert response.status_code == 400
        assert "The unsubscribe link is incomplete or has been changed" in response.content.decode()
        assert "rosa" not in response.content.decode()
    assert choices_for(rosa)[("offers", "email")] is True
    assert AuditEntry.objects.count() == audit_before


def test_using_a_link_again_is_harmless(smtp_sink: SmtpSink) -> None:
    rosa, url, offer = sent_offer(smtp_sink)
    for _ in range(3):
        response = Client().post(
            path_of(url),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
    assert (
        AuditEntry.objects.filter(
            event=Event.SUBSCRIPTION_CHANGED, data__source="one_click"
        ).count()
        == 1
    )
    offer.refresh_from_db()
    assert offer.unsubscribed == 1


def test_a_link_names_no_address_and_never_expires(smtp_sink: SmtpSink) -> None:
    _, url, offer = sent_offer(smtp_sink)
    token = path_of(url).rstrip("/").rsplit("/", 1)[1]
    assert "rosa" not in url.lower()
    assert "example" not in url.lower()
    payload = token.split(":")[0]
    decoded = signing.b64_decode(payload.lstrip(".").encode())
    if payload.startswith("."):
        decoded = zlib.decompress(decoded)
    link_id = read_unsubscribe_token(token).link_id.hex
    assert json.loads(decoded) == [link_id, "offers", "email", offer.pk]


def test_a_link_for_someone_since_erased_answers_like_any_other(smtp_sink: SmtpSink) -> None:
    rosa, url, _ = sent_offer(smtp_sink)
    erase_person(person=rosa, reason=ErasureReason.DELETION_REQUEST)

    one_click = Client().post(
        path_of(url), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    page = Client().get(path_of(url))

    assert one_click.status_code == 200
    assert page.status_code == 200
    assert "You will get no marketing from us at this address." in page.content.decode()


def test_an_opt_out_survives_erasure_and_a_later_sign_up_needs_a_fresh_explicit_choice(
    smtp_sink: SmtpSink,
) -> None:
    rosa, url, _ = sent_offer(smtp_sink)
    Client().post(path_of(url), {"action": "unsubscribe_all"})
    erase_person(person=rosa, reason=ErasureReason.DELETION_REQUEST)
    smtp_sink.clear()

    again = person_for_email(email="rosa@example.com")
    Person.objects.filter(pk=again.pk).update(email_verified_at=timezone.now())
    # an old subscription record cannot exist (erased); even a row written behind our back
    Subscription.objects.create(
        person=again,
        topic="offers",
        channel="email",
        subscribed=True,
        source="account",
        changed_at=timezone.now(),
    )
    second = campaign(name="Spring")
    schedule_campaign(campaign=second, send_at=timezone.now())
    queue_campaign_batch(campaign_id=second.pk)
    deliver()
    assert smtp_sink.messages == []  # the fingerprint still says no

    opted_in(again, "offers")  # a real, explicit choice lifts it, for that topic
    assert sorted(Suppression.objects.values_list("topic", flat=True)) == ["newsletter"]


def test_staff_record_an_opt_out_by_address_the_same_way_whether_or_not_we_know_it(
    smtp_sink: SmtpSink,
) -> None:
    rosa = opted_in(person("rosa@example.com"), "offers")

    record_opt_out_for_address(email="Rosa@Example.com", source=Source.STAFF)
    record_opt_out_for_address(email="stranger@example.net", source=Source.STAFF)

    assert choices_for(rosa)[("offers", "email")] is False
    # Rosa: all marketing plus each topic on email; the stranger: all marketing.
    assert Suppression.objects.filter(topic="").count() == 2
    assert Person.objects.filter(email="stranger@example.net").count() == 0


def test_a_token_for_a_person_works_as_made(smtp_sink: SmtpSink) -> None:
    rosa = opted_in(person(), "newsletter")
    link_id = rosa.contact_preferences.link_id
    token = make_unsubscribe_token(
        UnsubscribeLink(link_id=link_id, topic="newsletter", channel="email", campaign_id=None)
    )
    response = Client().post(
        f"/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert choices_for(rosa)[("newsletter", "email")] is False
