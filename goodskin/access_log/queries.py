"""Reads of the access log: how many people an account read in an hour, and every staff read of
one person (for their access report and the privacy officer's console page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.vault.models import Person

# What counts as reading a person's records: a page that shows them, and the full export.
READS = (Event.PERSON_VIEWED, Event.PERSON_EXPORTED)
# The starting roles (staff.0001) in the reader's language; roles staff add keep their own name.
ROLE_NAMES: dict[str, Promise] = {
    "Privacy officer": _("Privacy officer"),
    "Front desk": _("Front desk"),
    "Marketing": _("Marketing"),
    "Clinician": _("Clinician"),
    "Security": _("Security"),
    "Auditor": _("Auditor"),
    "Administrator": _("Administrator"),
}

# Why a read happened, by the kind of record it served, in the person's words.
WHY: dict[str, Promise] = {
    "vault.person": _("a copy of everything we hold about you, for a request"),
    "rights.datarequest": _("your privacy request"),
    "rights.minorscase": _("a check of whether someone is under 18"),
    "submissions.consultationrequest": _("your consultation request"),
    "submissions.contactmessage": _("a message you sent us"),
    "incidents.incident": _("a security incident"),
}


@dataclass(frozen=True)
class Read:
    at: datetime
    staff: str  # the staff member's name and roles, as they are now
    why: Promise | str
    reference: str  # the task it served: a request reference, an incident number…
    person_id: int
    staff_user_id: int | None


def _reads() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(event__in=READS, actor_kind="user")


def _of(person: Person) -> QuerySet[AuditEntry]:
    return _reads().filter(subject_type="vault.person", subject_id=str(person.pk))


def people_read_by(user_id: int, *, since: datetime) -> int:
    """How many different people the account has read since then."""
    return (
        _reads()
        .filter(actor_user_id=user_id, occurred_at__gte=since)
        .values("subject_id")
        .distinct()
        .count()
    )


def _described(entries: QuerySet[AuditEntry]) -> list[Read]:
    rows = list(entries.order_by("-occurred_at", "-sequence")[:500])
    staff_ids = {entry.actor_user_id for entry in rows if entry.actor_user_id is not None}
    staff = {
        user.pk: user
        for user in get_user_model().objects.filter(pk__in=staff_ids).prefetch_related("groups")
    }

    def who(user_id: int | None) -> str:
        user = staff.get(user_id) if user_id is not None else None
        if user is None:
            return str(_("A former member of staff"))
        roles = ", ".join(sorted(str(ROLE_NAMES.get(g.name, g.name)) for g in user.groups.all()))
        return f"{user.full_name} ({roles})" if roles else user.full_name

    return [
        Read(
            at=entry.occurred_at,
            staff=who(entry.actor_user_id),
            why=WHY.get(entry.target_type, _("our records")),
            reference=str(entry.data.get("reference", "")).upper(),
            person_id=int(entry.subject_id),
            staff_user_id=entry.actor_user_id,
        )
        for entry in rows
    ]


def reads_of(person: Person) -> list[Read]:
    """Every staff read of the person's records, newest first."""
    return _described(_of(person))


def reads_of_id(person_id: int) -> list[Read]:
    return _described(_reads().filter(subject_type="vault.person", subject_id=str(person_id)))


def reads_by(user_id: int) -> list[Read]:
    return _described(_reads().filter(actor_user_id=user_id))


def recent_reads() -> list[Read]:
    return _described(_reads())
