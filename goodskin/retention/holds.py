"""Which rows a legal hold protects. Reads only; purges and erasure ask here before they act.

A hold that names people keeps everything about them. A hold that names no one keeps one data
category (and its sub-categories) in every table that holds it, for everyone.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from goodskin.core.datamap import PersonalData
from goodskin.retention.models import HeldPerson, LegalHold
from goodskin.vault.models import Person


def active_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(released_at__isnull=True)


def held_people() -> QuerySet[HeldPerson]:
    return HeldPerson.objects.filter(hold__released_at__isnull=True)


def holds_on_person(person: Person) -> QuerySet[LegalHold]:
    return active_holds().filter(people__person=person).distinct()


def holds_on_table(declaration: PersonalData) -> QuerySet[LegalHold]:
    """Category holds (no people named) that cover any category this table holds."""
    categories = {personal.category for personal in declaration.fields.values()}
    covering = Q()
    for category in categories:
        covering |= Q(category=category)
        # a hold on "user.contact" covers "user.contact.email"
        parts = category.split(".")
        for length in range(1, len(parts)):
            covering |= Q(category=".".join(parts[:length]))
    return (
        active_holds().filter(covering, people__isnull=True)
        if categories
        else active_holds().none()
    )


def due_for_review(*, today: date) -> QuerySet[LegalHold]:
    return active_holds().filter(review_on__lte=today).exclude(last_reminded_on=today)
