"""Opening, assessing and closing incidents; law-enforcement delays; notices to the people affected.
Keyword-only, atomic, audited; every step also goes on the incident's own timeline."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from goodskin.accounts.models import User
from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions.notices import post_notice
from goodskin.communications.actions.outbox import copy_send_times, queue_essential_email
from goodskin.communications.models import ContactPreferences, NoticeKind
from goodskin.incidents.assessment import Exposure, affected_people, exposures, states_of
from goodskin.incidents.models import (
    AffectedPerson,
    Incident,
    IncidentStatus,
    LawEnforcementDelay,
    TimelineEntry,
)
from goodskin.incidents.queries import (
    clocks_for,
    delay_active,
    notice_words,
)
from goodskin.jurisdictions.breach import HIPAA, breach_law_for
from goodskin.submissions.models import SUBMISSION_MODELS
from goodskin.vault.labels import label
from goodskin.vault.models import Person
from goodskin.vault.registry import person_linked
from goodskin.vault.taxonomy import DATA_CATEGORIES


class IncidentRefused(ValueError):
    """Nothing changed; `field` names what to fix."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _note(incident: Incident, what: str, at: datetime | None = None) -> None:
    TimelineEntry.objects.create(incident=incident, at=at or timezone.now(), what=what[:300])


def _known_tables() -> set[str]:
    return {model._meta.label_lower for model, _ in person_linked()}


@transaction.atomic
def open_incident(
    *,
    title: str,
    discovered_at: datetime,
    window_start: datetime,
    window_end: datetime,
    tables: list[str],
    categories: list[str] | None = None,
    keys_exposed: bool = False,
    description: str = "",
    description_es: str = "",
    actions_taken: str = "",
    actions_taken_es: str = "",
    contained_at: datetime | None = None,
) -> Incident:
    now = timezone.now()
    if not title.strip():
        raise IncidentRefused("Give the incident a short name.", field="title")
    if window_end < window_start:
        raise IncidentRefused(
            "The window ends before it starts: check the two dates.", field="window_end"
        )
    if discovered_at > now:
        raise IncidentRefused("Discovery cannot be in the future.", field="discovered_at")
    if contained_at is not None and contained_at < window_start:
        raise IncidentRefused(
            "Containment cannot come before the window starts.", field="contained_at"
        )
    unknown = sorted({t.lower() for t in tables} - _known_tables())
    if not tables or unknown:
        raise IncidentRefused(
            "Choose the systems involved from the data map"
            + (f" (unknown: {', '.join(unknown)})." if unknown else "."),
            field="tables",
        )

    strange = sorted(set(categories or []) - set(DATA_CATEGORIES))
    if strange:
        raise IncidentRefused(
            f"Choose kinds of data from the data map (unknown: {', '.join(strange)}).",
            field="categories",
        )
    incident = Incident.objects.create(
        title=title.strip(),
        description=description.strip(),
        description_es=description_es.strip(),
        actions_taken=actions_taken.strip(),
        actions_taken_es=actions_taken_es.strip(),
        discovered_at=discovered_at,
        contained_at=contained_at,
        window_start=window_start,
        window_end=window_end,
        tables=sorted({t.lower() for t in tables}),
        categories=sorted(set(categories or [])),
        keys_exposed=keys_exposed,
    )
    record(Event.INCIDENT_OPENED, target=incident, data={"tables": len(incident.tables)})
    _note(incident, "Discovered", at=discovered_at)
    _note(incident, "Incident opened in the console", at=now)
    if contained_at is not None:
        _note(incident, "Contained", at=contained_at)
    return incident


@transaction.atomic
def describe_incident(
    *,
    incident: Incident,
    description: str,
    actions_taken: str,
    description_es: str = "",
    actions_taken_es: str = "",
    contained_at: datetime | None = None,
) -> Incident:
    """Record the notice's words: what happened and what we are doing (and when the exposure
    was stopped). Only what is recorded here is said; the words are fixed once notices start."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != IncidentStatus.OPEN:
        raise IncidentRefused("Notices have started: their words can no longer change.")
    if contained_at is not None and contained_at < incident.window_start:
        raise IncidentRefused(
            "Containment cannot come before the window starts.", field="contained_at"
        )
    if contained_at is not None and contained_at > timezone.now():
        raise IncidentRefused("Containment cannot be in the future.", field="contained_at")
    first_containment = incident.contained_at is None and contained_at is not None
    incident.description = description.strip()
    incident.description_es = description_es.strip()
    incident.actions_taken = actions_taken.strip()
    incident.actions_taken_es = actions_taken_es.strip()
    incident.contained_at = contained_at or incident.contained_at
    incident.save(
        update_fields=[
            "description",
            "description_es",
            "actions_taken",
            "actions_taken_es",
            "contained_at",
        ]
    )
    record(Event.INCIDENT_DESCRIBED, target=incident)
    _note(incident, "Notice wording recorded")
    if first_containment:
        _note(incident, "Contained", at=contained_at)
    return incident


def _readable_exposure(exposure: Exposure) -> list[str]:
    """The assessment's lines, in the words of the data map, never its column names."""

    table = exposure.model._meta.verbose_name_plural
    lines = []
    if exposure.exposed:
        names = [str(label(exposure.model._meta.label, name)).lower() for name in exposure.exposed]
        lines.append(f"{str(table).capitalize()}: exposed {', '.join(names)}.")
    if exposure.sealed_safe:
        names = [
            str(label(exposure.model._meta.label, name)).lower() for name in exposure.sealed_safe
        ]
        lines.append(
            f"{str(table).capitalize()}: {', '.join(names)} sealed under per-person keys that "
            "were not exposed (kept in the separate keyring): not unsecured data, so not counted."
        )
    return lines


def assess(*, incident: Incident, now: datetime | None = None) -> int:
    """Work out whose unsecured data was exposed and where they live, and record why. Replaces an
    earlier assessment while nobody has been told yet. Returns how many people are affected."""
    now = now or timezone.now()
    if incident.status != IncidentStatus.OPEN:
        raise IncidentRefused("Notices have started: the list of people can no longer change.")
    found = exposures(
        tables=incident.tables, categories=incident.categories, keys_exposed=incident.keys_exposed
    )
    people = affected_people(exposures_=found, start=incident.window_start, end=incident.window_end)
    ids = sorted(people)
    states = states_of(ids)
    with transaction.atomic():
        AffectedPerson.objects.filter(incident=incident).delete()
        for start in range(0, len(ids), 5000):
            AffectedPerson.objects.bulk_create(
                [
                    AffectedPerson(
                        incident=incident,
                        person_id=person_id,
                        # Where we do not know, California: the clinic's state and its shortest
                        # clock (ADR 0022).
                        state=states.get(person_id, "CA"),
                        state_known=person_id in states,
                        phi=people[person_id],
                    )
                    for person_id in ids[start : start + 5000]
                ]
            )
        lines = [line for exposure in found for line in _readable_exposure(exposure)]
        if not any(e.exposed for e in found):
            lines.append("No readable personal data was exposed: no one needs to be notified.")
        incident.assessment = "\n".join(lines)
        incident.exposed_categories = sorted(
            {category for exposure in found for category in exposure.exposed_categories}
        )
        incident.sealed_categories = sorted(
            {category for exposure in found for category in exposure.sealed_categories}
            - set(incident.exposed_categories)
        )
        incident.affected_computed_at = now
        incident.save(
            update_fields=[
                "assessment",
                "exposed_categories",
                "sealed_categories",
                "affected_computed_at",
            ]
        )
        record(Event.INCIDENT_ASSESSED, target=incident, data={"affected": len(ids)})
        _note(incident, f"Assessed: {len(ids)} people affected, {sum(people.values())} with PHI")
    return len(ids)


def check_ready_to_notify(incident: Incident, *, now: datetime | None = None) -> None:
    """Notices wait for an assessment (whom to tell) and for any law-enforcement hold to end."""
    if delay_active(incident, now=now):
        raise IncidentRefused("Law enforcement asked us to wait: end the delay first.")
    if incident.affected_computed_at is None:
        raise IncidentRefused("Assess the incident first: we do not know whom to tell.")
    if not incident.description or not incident.actions_taken:
        raise IncidentRefused(
            "Record what happened and what we are doing first: the notice says only that.",
            field="actions_taken",
        )


def not_started_because(incident: Incident, *, now: datetime | None = None) -> str:
    """Why no notice has gone yet, in words for the console ("" once they have started)."""
    if incident.status != IncidentStatus.OPEN:
        return ""
    try:
        check_ready_to_notify(incident, now=now)
    except IncidentRefused as refused:
        return str(refused)
    return "Ready: press “Send the notices”."


@transaction.atomic
def start_delay(
    *, incident: Incident, agency: str, reference: str = "", in_writing: bool, at: datetime
) -> LawEnforcementDelay:
    if not agency.strip():
        raise IncidentRefused("Name the agency that asked.", field="agency")
    if at > timezone.now():
        raise IncidentRefused("The request cannot be in the future.", field="at")
    delay = LawEnforcementDelay.objects.create(
        incident=incident,
        agency=agency.strip(),
        reference=reference.strip(),
        in_writing=in_writing,
        started_at=at,
    )
    record(Event.INCIDENT_DELAY_STARTED, target=incident, data={"in_writing": in_writing})
    _note(
        incident,
        f"Law enforcement ({delay.agency}{', ' + delay.reference if delay.reference else ''}) "
        f"asked us to delay notices ({'in writing' if in_writing else 'orally: 30 days at most'})",
        at=at,
    )
    return delay


@transaction.atomic
def end_delay(*, delay: LawEnforcementDelay, at: datetime) -> None:
    if delay.ended_at is not None:
        raise IncidentRefused("This delay has already ended.")
    if at < delay.started_at:
        raise IncidentRefused("The delay cannot end before it started.", field="at")
    delay.ended_at = at
    delay.save(update_fields=["ended_at"])
    record(Event.INCIDENT_DELAY_ENDED, target=delay.incident)
    _note(delay.incident, f"Law-enforcement delay by {delay.agency} ended", at=at)


def notify_batch(*, incident_id: int, batch_size: int = 500) -> bool:
    """Queue the next `batch_size` notices: an email in the person's language through the outbox
    and a notice in their account; people we can no longer reach are marked for the substitute
    notice. One short transaction; resumable. True when all are queued."""

    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident_id)
        if incident.status == IncidentStatus.CLOSED:
            return True
        check_ready_to_notify(incident)
        if incident.status == IncidentStatus.OPEN:
            incident.status = IncidentStatus.NOTIFYING
            incident.notices_total = AffectedPerson.objects.filter(incident=incident).count()
            _note(incident, f"Notices started to {incident.notices_total} people")
        batch = list(
            AffectedPerson.objects.filter(
                incident=incident, pk__gt=incident.notices_cursor
            ).order_by("pk")[:batch_size]
        )
        languages = _languages([row.person_id for row in batch])
        for row in batch:
            person = Person.objects.get(pk=row.person_id)
            if not person.email or person.erased_at is not None:
                row.unreachable = True
                row.save(update_fields=["unreachable"])
                _post_substitute_notice(incident, row)
                continue
            language = languages.get(row.person_id, "en")
            context = _notice_context(incident, row)
            row.message = queue_essential_email(
                person=person,
                template="incidents/email/breach_notice",
                language=language,
                context=context,
                dedupe_key=f"incident:{incident.pk}:{row.person_id}",
            )
            row.save(update_fields=["message"])
            post_notice(
                person=person,
                kind=NoticeKind.SECURITY,
                title=_title(language),
                body=incident.description,
                dedupe_key=f"incident:{incident.pk}:{row.person_id}",
            )
        if batch:
            incident.notices_cursor = batch[-1].pk
            record(Event.INCIDENT_NOTICES_QUEUED, target=incident, data={"notices": len(batch)})
        incident.save(
            update_fields=["status", "notices_total", "notices_cursor", "posted_at", "posted_until"]
        )
        return len(batch) < batch_size


def _discovered_on(incident: Incident) -> date:
    """The day that decides which version of each state's breach law applies."""
    return timezone.localdate(incident.discovered_at)


def _post_substitute_notice(incident: Incident, row: AffectedPerson) -> None:
    """Someone we cannot reach: the notice goes up on the home and privacy pages, and stays for
    the longest period any unreachable person's state (or HIPAA, for health information)
    requires. Saved by the caller with the batch."""

    now = timezone.now()
    days = breach_law_for(row.state, on=_discovered_on(incident)).substitute_posting_days
    if row.phi:
        days = max(days, HIPAA.substitute_posting_days)
    if incident.posted_at is None:
        incident.posted_at = now
        _note(incident, "Substitute notice posted on the website", at=now)
    until = incident.posted_at + timedelta(days=days)
    incident.posted_until = max(until, incident.posted_until or until)


def _languages(person_ids: list[int]) -> dict[int, str]:
    """Each person's language: their account's, else the one they last wrote to us in, else
    their message preferences' (which start as English until they choose)."""

    found: dict[int, str] = dict(
        ContactPreferences.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "language"
        )
    )
    for model in SUBMISSION_MODELS:
        found.update(
            model._default_manager.filter(person_id__in=person_ids)
            .order_by("created_at")
            .values_list("person_id", "language")
        )
    found.update(
        User.objects.filter(person_id__in=person_ids).values_list("person_id", "preferred_language")
    )
    return found


def _title(language: str) -> str:
    with translation.override(language):
        return gettext("Notice of Data Breach")


def _notice_context(incident: Incident, row: AffectedPerson) -> dict[str, Any]:
    return {
        **notice_words(incident),
        "phi": row.phi,
        "law": breach_law_for(row.state, on=_discovered_on(incident)),
    }


def record_deliveries(*, incident: Incident) -> int:
    return copy_send_times(AffectedPerson.objects.filter(incident=incident), into="notified_at")


@transaction.atomic
def close_incident(*, incident: Incident, note: str, now: datetime | None = None) -> Incident:
    now = now or timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status == IncidentStatus.CLOSED:
        raise IncidentRefused("This incident is already closed.")
    if not note.strip():
        raise IncidentRefused("Say what was done and what was learned.", field="note")
    pending = AffectedPerson.objects.filter(
        incident=incident, message__isnull=True, unreachable=False
    ).count()
    if incident.affected_computed_at is not None and pending:
        raise IncidentRefused(f"{pending} people have not been sent their notice yet.")
    record_deliveries(incident=incident)
    state = clocks_for(incident, now=now)
    late = [
        clock.state
        for clock in state.states
        if AffectedPerson.objects.filter(
            incident=incident, state=clock.state, notified_at__gt=clock.due_at
        ).exists()
    ]
    rows = AffectedPerson.objects.filter(incident=incident)
    emailed = rows.filter(notified_at__isnull=False).count()
    unreachable = rows.filter(unreachable=True).count()
    incident.closing_report = "\n".join(
        [
            f"Affected: {state.total} people in {len(state.states)} states.",
            f"Notified by email: {emailed}; unreachable (substitute notice): {unreachable}.",
            f"Law-enforcement delay: {state.paused.days} days.",
            "Late against a state deadline: " + (", ".join(late) if late else "none") + ".",
            note.strip(),
        ]
    )
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = now
    incident.save(update_fields=["closing_report", "status", "closed_at"])
    record(Event.INCIDENT_CLOSED, target=incident, data={"affected": state.total})
    _note(incident, "Closed", at=now)
    return incident
