"""Reads for retention: the rules in plain words, holds for the console, what a hold keeps."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Count, QuerySet

from goodskin.core.errors import NotFound
from goodskin.core.schedule import BY_KEY
from goodskin.core.validation import normalise_email
from goodskin.retention.models import LegalHold, RetentionRule
from goodskin.retention.wording import plain_words
from goodskin.vault.models import Person
from goodskin.vault.registry import person_linked
from goodskin.vault.taxonomy import DATA_CATEGORIES


def wording(key: str, rule: RetentionRule | None) -> str:
    """The rule as the public pages say it: generated from the rule's row when it has an age
    limit, the data map's wording otherwise."""
    if rule is None or rule.period_days is None:
        return str(BY_KEY[key].keeps)
    return plain_words(
        period_days=rule.period_days, counted_from=rule.counted_from, outcome=rule.outcome
    )


def rule_wordings(rules: Iterable[RetentionRule] | None = None) -> Callable[[str], str]:
    """Every rule read once (the data map asks about each category; one query, not one each)."""
    by_key = {rule.key: rule for rule in (RetentionRule.objects.all() if rules is None else rules)}
    return lambda key: wording(key, by_key.get(key))


def rules() -> QuerySet[RetentionRule]:
    return RetentionRule.objects.order_by("key")


def access_rule(key: str) -> RetentionRule:
    rule = RetentionRule.objects.filter(key=key).first()
    if rule is None:
        raise NotFound
    return rule


def holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.annotate(people_count=Count("people")).order_by(
        "released_at", "review_on"
    )


def access_hold(hold_id: int) -> LegalHold:
    hold = LegalHold.objects.filter(pk=hold_id).first()
    if hold is None:
        raise NotFound
    return hold


def kept_categories(person: Person) -> list[str]:
    """The kinds of information held about the person, in plain words, for telling them what a
    hold keeps."""
    found: set[str] = set()
    for model, declaration in person_linked():
        subject = declaration.subject or "pk"
        if model._default_manager.filter(**{subject: person.pk}).exists():
            found.update(personal.category for personal in declaration.fields.values())
    if person.email or person.phone:
        found.add("user.contact.email" if person.email else "user.contact.phone_number")
    return sorted(
        str(DATA_CATEGORIES[category]) for category in found if category in DATA_CATEGORIES
    )


def people_by_email(emails: list[str]) -> dict[str, Person]:
    """Not-erased people by their (normalised) address, for staff naming whom a hold covers."""
    wanted = [normalise_email(email) for email in emails]
    found = {
        person.email: person
        for person in Person.objects.filter(email__in=wanted, erased_at__isnull=True)
    }
    return {
        email: found[address]
        for email, address in zip(emails, wanted, strict=True)
        if address in found
    }
