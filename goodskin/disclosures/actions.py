"""Every disclosure is an action with an audit entry: legal process, referrals, processor exports,
business transfers and de-identified exports. Keyword-only, atomic, audited. The caller checks
that the staff member may approve disclosures."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from goodskin.accounts.models import User
from goodskin.approvals.actions import consume
from goodskin.approvals.models import Approval
from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.disclosures.defaults import RECIPIENTS
from goodskin.disclosures.deid import (
    DEFAULT_K,
    DEFAULT_MAX_SUPPRESSED,
    ExportRefused,
    Released,
    release,
)
from goodskin.disclosures.exports import check_fields
from goodskin.disclosures.models import (
    DisclosedPerson,
    Disclosure,
    DisclosureKind,
    Recipient,
    RecipientKind,
)
from goodskin.disclosures.tasks import notify_business_transfer
from goodskin.vault.models import Person


class DisclosureRefused(ValueError):
    pass


@transaction.atomic
def ensure_register() -> int:
    """Create any starting recipient that has no row yet; never changes an existing one."""
    created = 0
    for slug, name, kind, english, spanish, categories, purpose in RECIPIENTS:
        _, made = Recipient.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "description_en": english,
                "description_es": spanish,
                "categories": categories,
                "purpose": purpose,
            },
        )
        created += made
    return created


@transaction.atomic
def record_disclosure(
    *,
    kind: str,
    recipient: Recipient,
    reference: str,
    categories: list[str],
    people: Iterable[Person],
    approved_by: User,
    person_may_be_told: bool = True,
    silent_until: date | None = None,
    now: datetime | None = None,
) -> Disclosure:
    """Log a disclosure about named people (a subpoena, a referral, a processor export)."""
    if kind not in DisclosureKind.values or kind in {
        DisclosureKind.BUSINESS_TRANSFER,
        DisclosureKind.DEIDENTIFIED_EXPORT,
    }:
        raise DisclosureRefused("Choose what kind of disclosure this was.")
    if not reference.strip():
        raise DisclosureRefused("Give the reference: docket, case, order or ticket number.")
    if not categories:
        raise DisclosureRefused("Name the kinds of information that were released.")
    if kind in {DisclosureKind.LEGAL_PROCESS, DisclosureKind.ENFORCEMENT} and (
        recipient.kind != RecipientKind.GOVERNMENT
    ):
        raise DisclosureRefused("Legal process and agency requests go to a government recipient.")
    people = list(people)
    disclosure = Disclosure.objects.create(
        kind=kind,
        recipient=recipient,
        reference=reference.strip(),
        categories=sorted(categories),
        approved_by=approved_by,
        person_may_be_told=person_may_be_told,
        silent_until=silent_until,
        rows=len(people),
        disclosed_at=now or timezone.now(),
    )
    DisclosedPerson.objects.bulk_create(
        DisclosedPerson(disclosure=disclosure, person=person) for person in people
    )
    record(
        Event.DISCLOSURE_RECORDED,
        target=disclosure,
        data={"kind": kind, "recipient": recipient.slug, "people": len(people)},
    )
    for person in people:
        record(
            Event.DISCLOSURE_RECORDED,
            subject=person,
            target=disclosure,
            data={"kind": kind, "recipient": recipient.slug, "categories": sorted(categories)},
        )
    return disclosure


TRANSFER = "disclosures.record_business_transfer"  # capability and two-person rule action


@transaction.atomic
def record_business_transfer(
    *, recipient: Recipient, reference: str, approval: Approval, now: datetime | None = None
) -> Disclosure:
    """The whole database passes to a buyer or successor, on a second staff member's approval
    (asked for with the buyer as its target), which this uses up. Every account holder gets a
    notice (the policy's promise that the information passes under this policy)."""
    if recipient.kind != RecipientKind.THIRD_PARTY:
        raise DisclosureRefused(
            "A business transfer goes to the buyer or successor, a third party."
        )
    if not reference.strip():
        raise DisclosureRefused("Give the transaction reference.")
    used = consume(approval=approval, action=TRANSFER, target=recipient)
    assert used.decided_by is not None  # consume accepts only a decided approval
    approved_by = User.objects.get(pk=used.decided_by)
    disclosure = Disclosure.objects.create(
        kind=DisclosureKind.BUSINESS_TRANSFER,
        recipient=recipient,
        reference=reference.strip(),
        categories=["user"],
        approved_by=approved_by,
        covers_everyone=True,
        rows=Person.objects.filter(erased_at__isnull=True).count(),
        disclosed_at=now or timezone.now(),
    )
    record(
        Event.DISCLOSURE_RECORDED,
        target=disclosure,
        data={"kind": "business_transfer", "recipient": recipient.slug, "people": disclosure.rows},
    )

    disclosure_id = disclosure.pk
    transaction.on_commit(lambda: notify_business_transfer.enqueue(disclosure_id=disclosure_id))
    return disclosure


def export_deidentified(
    *,
    dataset: str,
    fields: list[str],
    recipient: Recipient,
    approved_by: User,
    k: int = DEFAULT_K,
    max_suppressed: float = DEFAULT_MAX_SUPPRESSED,
) -> tuple[Released, Disclosure]:
    """Count, generalise, suppress groups smaller than k, and log the export with its k.
    Raises ExportRefused (naming the field) and logs nothing when k cannot be met."""
    source = check_fields(dataset, fields)
    counts = source.count(fields)
    released = release((), fields=fields, k=k, max_suppressed=max_suppressed, counts=counts)
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            kind=DisclosureKind.DEIDENTIFIED_EXPORT,
            recipient=recipient,
            reference=f"{dataset}:{','.join(fields)}"[:120],
            categories=sorted({source.fields[name] for name in fields}),
            approved_by=approved_by,
            k=k,
            rows=len(released.groups),
            disclosed_at=timezone.now(),
        )
        record(
            Event.DISCLOSURE_RECORDED,
            target=disclosure,
            data={
                "kind": "deidentified_export",
                "recipient": recipient.slug,
                "k": k,
                "groups": len(released.groups),
                "suppressed": released.suppressed,
            },
        )
    return released, disclosure


__all__ = ["ExportRefused", "export_deidentified", "record_business_transfer", "record_disclosure"]
