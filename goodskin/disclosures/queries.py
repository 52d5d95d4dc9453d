"""Reads: the register as the public notice shows it, and the disclosures about one person."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import translation

from goodskin.core.errors import NotFound
from goodskin.disclosures.models import Disclosure, Recipient, RecipientKind
from goodskin.vault.models import Person


def active_recipients() -> list[Recipient]:
    return list(Recipient.objects.filter(active=True).order_by("pk"))


def recipients_by_kind(
    recipients: list[Recipient] | None = None,
) -> list[tuple[str, list[Recipient]]]:
    """Active recipients grouped by kind, for the State Privacy Notice."""
    found = active_recipients() if recipients is None else recipients
    return [
        (str(kind.label), [recipient for recipient in found if recipient.kind == kind])
        for kind in RecipientKind
        if any(recipient.kind == kind for recipient in found)
    ]


def register(recipients: list[Recipient] | None = None) -> dict[str, tuple[str, list[str]]]:
    """The active recipients: slug → (what they are, in the reader's language, as the public
    pages describe them; the data-map categories they receive)."""
    spanish = translation.get_language() == "es"
    return {
        r.slug: ((spanish and r.description_es) or r.description_en, r.categories)
        for r in (active_recipients() if recipients is None else recipients)
    }


def sells_or_shares(recipients: list[Recipient] | None = None) -> bool:
    found = active_recipients() if recipients is None else recipients
    return any(recipient.is_sale or recipient.is_share for recipient in found)


def disclosures_about(person: Person, *, for_the_person: bool, today: date) -> QuerySet[Disclosure]:
    """Every disclosure that concerned the person, including whole-database transfers. The
    person's own report leaves out those a court or agency has forbidden us to mention yet."""
    found = Disclosure.objects.filter(Q(people__person=person) | Q(covers_everyone=True)).distinct()
    if for_the_person:
        found = found.filter(person_may_be_told=True) | found.filter(
            person_may_be_told=False, silent_until__lte=today
        )
    return found.select_related("recipient").order_by("-disclosed_at")


def access_recipient(slug: str) -> Recipient:
    recipient = Recipient.objects.filter(slug=slug).first()
    if recipient is None:
        raise NotFound
    return recipient


def disclosure_log() -> QuerySet[Disclosure]:
    return Disclosure.objects.select_related("recipient", "approved_by").order_by("-disclosed_at")
