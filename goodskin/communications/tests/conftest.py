"""Helpers for the communications tests: people who chose things, campaigns, and a worker
that only runs when the test says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pytest_django.fixtures import Settings

from goodskin.communications.actions.campaigns import save_campaign
from goodskin.communications.actions.choices import set_choices, update_preferences
from goodskin.communications.delivery import DeliveryReport, deliver_all_due
from goodskin.communications.models import Campaign, Message, Source
from goodskin.communications.sms import MemorySmsBackend
from goodskin.vault.actions import person_for_email
from goodskin.vault.models import Person
from goodskin.website.models import Clinic

VERIFIED_AT = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))


def person(email: str = "rosa@example.com", *, verified: bool = True, phone: str = "") -> Person:
    someone = person_for_email(email=email, phone=phone or None)
    if verified:
        Person.objects.filter(pk=someone.pk).update(
            email_verified_at=VERIFIED_AT, phone_verified_at=VERIFIED_AT if phone else None
        )
        someone.refresh_from_db()
    return someone


def opted_in(someone: Person, *topics: str, channel: str = "email", language: str = "en") -> Person:
    update_preferences(
        person=someone,
        choices={(topic, channel): True for topic in topics or ("offers",)},
        source=Source.ACCOUNT,
        language=language,
    )
    return someone


def campaign(**fields: object) -> Campaign:
    values: dict[str, object] = {
        "name": "Winter glow",
        "topic": "offers",
        "channel": "email",
        "subject_en": "Winter glow: 20% off facials",
        "body_en": "Cold air dries skin.\n\nBook a hydrating facial before 31 December.",
        "subject_es": "Brillo de invierno: 20% en faciales",
        "body_es": "El aire frío reseca la piel.\n\nReserve un facial antes del 31 de diciembre.",
    }
    values.update(fields)
    return save_campaign(campaign=Campaign(**values))


def deliver(now: datetime | None = None) -> DeliveryReport:
    return deliver_all_due(now=now)


def statuses() -> list[str]:
    return list(Message.objects.order_by("pk").values_list("status", flat=True))


@pytest.fixture
def queue_only(settings: Settings) -> None:
    """Tasks are stored, not run: messages wait in the outbox until the test delivers them."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def sms_outbox() -> Iterator[list[object]]:
    MemorySmsBackend.sent.clear()
    yield MemorySmsBackend.sent  # type: ignore[misc]  # a list of SentSms
    MemorySmsBackend.sent.clear()


def choose(someone: Person, **choices: bool) -> None:
    """choose(p, offers_email=False) — one call per test step, as the account page would."""
    set_choices(
        person=someone,
        choices={tuple(name.split("_")): value for name, value in choices.items()},  # type: ignore[misc]  # two parts
        source=Source.ACCOUNT,
    )


def clinic(slug: str) -> Clinic:
    return Clinic.objects.create(
        slug=slug,
        name=slug.replace("-", " ").title(),
        street="1 Main St",
        city="Los Angeles",
        region="CA",
        postal_code="90049",
        phone="+13105550100",
        latitude=34.05,
        longitude=-118.47,
        hours_en="Mon–Fri 9:00–18:00",
        blurb_en="A clinic.",
    )
