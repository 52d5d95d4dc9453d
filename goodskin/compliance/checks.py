"""The checks: each reads the running system's own rows and answers pass or fail with counts and
references (row numbers, rule and check names), never a person's values. Each streams what it
reads (aggregates in the database, or rows in chunks), so the nightly run's memory does not grow
with the number of people. Named for the promise they keep; tied to clauses in registry.py.

Where the system cannot tell what was true at a past moment, a check counts only what is
certainly a breach of the promise and says in its evidence what it could not judge.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import batched
from uuid import UUID

from django.core import checks as system_checks
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from goodskin.accounts.models import User
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.audit.verify import verify_chain
from goodskin.communications.fingerprints import Fingerprinter
from goodskin.communications.models import (
    MARKETING_TOPICS,
    Kind,
    MarketingPause,
    Message,
    Status,
    Subscription,
    Suppression,
)
from goodskin.compliance.crawler import STATES, crawl
from goodskin.compliance.registry import CLAUSES, DOCUMENTS, UNVERIFIED, Outcome, check
from goodskin.consent.models import ConsentRecord
from goodskin.consent.models import Source as ConsentSource
from goodskin.disclosures.deid import DEFAULT_K
from goodskin.disclosures.models import Disclosure, DisclosureKind, Recipient
from goodskin.incidents.models import AffectedPerson, Incident
from goodskin.incidents.queries import clocks_for
from goodskin.jurisdictions.deadlines import add_business_days
from goodskin.jurisdictions.privacy import rules_for
from goodskin.policies.first_versions import FIRST_VERSIONS
from goodskin.policies.models import PolicyNotice, PolicyVersion, VersionStatus
from goodskin.retention.models import HeldPerson, LegalHold, RetentionRule
from goodskin.retention.purge import purge_lag
from goodskin.rights.models import OPEN_STATUSES, DataRequest, MinorsCase
from goodskin.rights.queries import MINORS_REVIEW_BUSINESS_DAYS
from goodskin.tracking.models import PageEvent
from goodskin.vault.models import Erasure, Person, PersonKey
from goodskin.vault.registry import personal_fields
from goodskin.vault.routers import KEYRING
from goodskin.vault.summary import what_we_collect
from goodskin.vault.taxonomy import DATA_CATEGORIES

CHUNK = 2000
SHOWN = 20  # references listed in the evidence; the count is always whole
# The nightly retention run may be a day behind, and a slot can be missed once: beyond this an
# expired row is a broken promise, not a job still to come.
RETENTION_GRACE = timedelta(days=2)
# Marketing messages handed to the mail server (or possibly handed: a crash mid-send).
HANDED_OVER = (Status.SENT, Status.SENDING, Status.IN_DOUBT)


def _references(prefix: str, ids: Iterable[object]) -> list[str]:
    return [f"{prefix}{value}" for value in list(ids)[:SHOWN]]


@check("Analytics keep only a shortened network address (IPv4 /24, IPv6 /48), never a full one.")
def analytics_keep_no_full_address(now: datetime) -> Outcome:
    full = 0
    seen = 0
    for prefix in (
        PageEvent.objects.exclude(ip_prefix="")
        .values_list("ip_prefix", flat=True)
        .distinct()
        .iterator(chunk_size=CHUNK)
    ):
        seen += 1
        if not _is_shortened(prefix):
            full += 1
    return Outcome(full == 0, {"distinct_prefixes": seen, "full_addresses": full})


def _is_shortened(prefix: str) -> bool:
    """Worked out here, not by core.network.truncate_ip: a check must not trust the code whose
    promise it verifies (make mutants breaks that code, and this must still see it)."""
    try:
        address = ipaddress.ip_address(prefix)
    except ValueError:
        return False
    kept = 24 if address.version == 4 else 48
    return int(address) & ((1 << (address.max_prefixlen - kept)) - 1) == 0


@check(
    "Every public page, in each consent state (no choice, refused, allowed, GPC), loads nothing "
    "from another origin and sets only the cookies and storage keys the data map declares, each "
    "only once the consent it waits for is given.",
    slow=True,
)
def pages_set_only_declared_cookies_and_load_nothing_from_elsewhere(now: datetime) -> Outcome:
    seen = crawl()
    evidence: dict[str, int | str | list[str]] = {
        "pages_opened": seen.pages,
        "consent_states": len(STATES),
        "requests": seen.requests,
        "other_origins": len(seen.other_origins),
        "undeclared": len(seen.undeclared),
        "set_before_consent": len(seen.before_consent),
        "pages_that_failed": len(seen.failed_pages),
    }
    for name, values in (
        ("other_origin_list", seen.other_origins),
        ("undeclared_list", seen.undeclared),
        ("set_before_consent_list", seen.before_consent),
        ("pages_that_failed_list", seen.failed_pages),
    ):
        if values:
            evidence[name] = sorted(values)[:SHOWN]
    return Outcome(
        not (seen.other_origins or seen.undeclared or seen.before_consent or seen.failed_pages),
        evidence,
    )


@check("The audit log's hash chain is unbroken from its first entry to its head.")
def audit_chain_is_intact(now: datetime) -> Outcome:
    checked, broken = verify_chain()
    evidence: dict[str, int | str | list[str]] = {"entries": checked}
    if broken is not None:
        evidence["break"] = f"entry #{broken.sequence}: {broken.reason}"
    return Outcome(broken is None, evidence)


@check(
    "No marketing message was handed to the mail server for someone who had not switched that "
    "topic on, had switched it off, was suppressed, was paused, or had not confirmed the address."
)
def no_marketing_without_a_choice_to_receive_it(now: datetime) -> Outcome:
    findings: dict[str, list[int]] = {
        "never_switched_on": [],
        "switched_off_before": [],
        "address_not_confirmed": [],
        "paused": [],
        "suppressed": [],
    }
    handed = 0
    not_judged = 0
    rows = (
        Message.objects.filter(kind=Kind.MARKETING, status__in=HANDED_OVER, person__isnull=False)
        .order_by("pk")
        .values_list("pk", "person_id", "topic", "channel", "sent_at", "claimed_at")
        .iterator(chunk_size=CHUNK)
    )

    def judge(batch: list[tuple[int, int, str, str, datetime]]) -> int:
        people = {entry[1] for entry in batch}
        choices = {
            (person, topic, channel): (subscribed, changed_at)
            for person, topic, channel, subscribed, changed_at in Subscription.objects.filter(
                person_id__in=people
            ).values_list("person_id", "topic", "channel", "subscribed", "changed_at")
        }
        pauses: dict[int, list[tuple[datetime, datetime | None]]] = {}
        for person, created, lifted in MarketingPause.objects.filter(
            person_id__in=people
        ).values_list("person_id", "created_at", "lifted_at"):
            pauses.setdefault(person, []).append((created, lifted))
        confirmed = dict(
            Person.objects.filter(pk__in=people).values_list("pk", "email_verified_at")
        )
        undecided = 0
        for pk, person, topic, channel, moment in batch:
            choice = choices.get((person, topic, channel))
            if choice is None:
                if topic in MARKETING_TOPICS:  # off unless switched on (reminders: on)
                    findings["never_switched_on"].append(pk)
            elif choice[1] <= moment and not choice[0]:
                findings["switched_off_before"].append(pk)
            elif choice[1] > moment:
                undecided += 1  # changed since: what it said at the time is not kept
            if channel == "email":
                verified = confirmed.get(person)
                if verified is None or verified > moment:
                    findings["address_not_confirmed"].append(pk)
            if any(
                created <= moment and (lifted is None or lifted > moment)
                for created, lifted in pauses.get(person, ())
            ):
                findings["paused"].append(pk)
        return undecided

    for rows_ in batched(rows, CHUNK):
        handed += len(rows_)
        not_judged += judge(
            [
                (pk, person, topic, channel, moment)
                for pk, person, topic, channel, sent_at, claimed_at in rows_
                if (moment := sent_at or claimed_at) is not None
            ]
        )
    findings["suppressed"] = _sent_after_suppression()
    evidence: dict[str, int | str | list[str]] = {
        "marketing_handed_over": handed,
        "choice_changed_since_so_not_judged": not_judged,
    }
    for name, ids in findings.items():
        evidence[name] = len(ids)
        if ids:
            evidence[f"{name}_messages"] = _references("message #", ids)
    return Outcome(not any(findings.values()), evidence)


def _sent_after_suppression() -> list[int]:
    """Messages handed over after their address was on the suppression list. The list holds keyed
    fingerprints, so each person's current address is fingerprinted the same way (an erased
    person's address is gone: their messages cannot be judged and are not counted)."""
    fingerprint = Fingerprinter()
    found: list[int] = []
    rows = (
        Message.objects.filter(
            kind=Kind.MARKETING,
            status__in=HANDED_OVER,
            person__isnull=False,
            sent_at__isnull=False,
        )
        .values_list("pk", "channel", "topic", "sent_at", "person__email", "person__phone")
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    )

    def judge(batch: list[tuple[int, str, str, datetime, str]]) -> None:
        prints = {entry[4] for entry in batch}
        earliest: dict[tuple[str, str], datetime] = {}
        for print_, topic, created in Suppression.objects.filter(
            fingerprint__in=prints
        ).values_list("fingerprint", "topic", "created_at"):
            key = (print_, topic)
            earliest[key] = min(created, earliest.get(key, created))
        for pk, _channel, topic, sent_at, print_ in batch:
            since = [
                moment
                for moment in (earliest.get((print_, "")), earliest.get((print_, topic)))
                if moment is not None
            ]
            if since and min(since) < sent_at:
                found.append(pk)

    for rows_ in batched(rows, CHUNK):
        judge(
            [
                (pk, channel, topic, sent_at, fingerprint(channel, address))
                for pk, channel, topic, sent_at, email, phone in rows_
                if (address := email if channel == "email" else phone) and sent_at is not None
            ]
        )
    return found


@check(
    "Essential mail (account, security, requests, breach and policy notices) is never held back "
    "because someone opted out of marketing."
)
def essential_mail_reaches_opted_out_people(now: datetime) -> Outcome:
    # Appointment reminders are essential but the person may switch them off: not counted.
    essential = Message.objects.filter(kind=Kind.ESSENTIAL).exclude(topic="reminders")
    withheld = list(essential.filter(status=Status.SUPPRESSED).values_list("pk", flat=True)[:SHOWN])
    opted_out = Subscription.objects.filter(subscribed=False).values("person")
    reached = essential.filter(status=Status.SENT, person__in=opted_out).count()
    evidence: dict[str, int | str | list[str]] = {
        "essential_withheld_as_opted_out": len(withheld),
        "essential_sent_to_people_who_opted_out": reached,
    }
    if withheld:
        evidence["withheld_messages"] = _references("message #", withheld)
    return Outcome(not withheld, evidence)


@check(
    "Every erased person's key is destroyed and their erasure journalled; their record holds no "
    "address; and no restore brought anyone back."
)
def erased_people_stay_erased(now: datetime) -> Outcome:
    erased = Person.objects.filter(erased_at__isnull=False)
    still_addressed = list(
        erased.filter(Q(email__isnull=False) | Q(phone__isnull=False)).values_list("pk", flat=True)[
            :SHOWN
        ]
    )
    journal_count = 0
    key_kept: list[int] = []
    brought_back: list[int] = []
    entries = Erasure.objects.using(KEYRING).order_by("pk").values_list("key_id", "person_id")

    def judge(batch: tuple[tuple[UUID, int], ...]) -> None:
        keys = [key for key, _ in batch]
        kept = set(
            PersonKey.objects.using(KEYRING)
            .filter(key_id__in=keys)
            .values_list("key_id", flat=True)
        )
        key_kept.extend(person for key, person in batch if key in kept)
        alive = Person.objects.filter(key_id__in=keys, erased_at__isnull=True)
        brought_back.extend(alive.values_list("pk", flat=True))

    for batch in batched(entries.iterator(chunk_size=CHUNK), CHUNK):
        journal_count += len(batch)
        judge(batch)
    unjournalled = erased.count() - _journalled(erased)
    evidence: dict[str, int | str | list[str]] = {
        "erased_people": erased.count(),
        "journal_entries": journal_count,
        "keys_still_kept": len(key_kept),
        "brought_back_by_a_restore": len(brought_back),
        "erased_without_a_journal_entry": unjournalled,
        "erased_but_still_addressed": len(still_addressed),
    }
    for name, ids in (
        ("keys_still_kept_people", key_kept),
        ("brought_back_people", brought_back),
        ("still_addressed_people", still_addressed),
    ):
        if ids:
            evidence[name] = _references("person #", ids)
    return Outcome(
        not key_kept and not brought_back and not still_addressed and unjournalled == 0, evidence
    )


def _journalled(erased: QuerySet[Person]) -> int:
    return sum(
        Erasure.objects.using(KEYRING).filter(key_id__in=keys).count()
        for keys in batched(erased.values_list("key_id", flat=True).iterator(CHUNK), CHUNK)
    )


@check(
    "No row is older than its retention rule allows (plus two days for the nightly run), "
    "except for people and categories under a legal hold."
)
def nothing_is_kept_past_its_retention(now: datetime) -> Outcome:
    overdue: list[str] = []
    rules = 0
    for rule in RetentionRule.objects.order_by("key"):
        rules += 1
        lag = purge_lag(rule, now)
        if lag > RETENTION_GRACE:
            overdue.append(f"{rule.key} ({lag.days} days overdue)")
    evidence: dict[str, int | str | list[str]] = {"rules": rules, "rules_overdue": len(overdue)}
    if overdue:
        evidence["overdue"] = overdue[:SHOWN]
    return Outcome(not overdue, evidence)


@check(
    "No one under an active legal hold was erased while it held them: their erasure waits for "
    "the hold's release, as the policy's exception for legal duties says."
)
def legal_holds_keep_what_they_hold(now: datetime) -> Outcome:
    active = dict(LegalHold.objects.filter(released_at__isnull=True).values_list("pk", "placed_at"))
    # Who each hold named, from the audit log: an erasure would have deleted the hold's own link
    # to the person, but never the entry that recorded placing it.
    named: dict[str, list[int]] = {}
    for hold, person in AuditEntry.objects.filter(
        event=Event.HOLD_PLACED,
        target_type="retention.legalhold",
        target_id__in=[str(pk) for pk in active],
        subject_type="vault.person",
    ).values_list("target_id", "subject_id"):
        named.setdefault(person, []).append(int(hold))
    erased_while_held: set[int] = set()
    for person, erased_at in AuditEntry.objects.filter(
        event=Event.PERSON_ERASED, subject_type="vault.person", subject_id__in=list(named)
    ).values_list("subject_id", "occurred_at"):
        erased_while_held |= {hold for hold in named[person] if erased_at >= active[hold]}
    held = HeldPerson.objects.filter(hold__released_at__isnull=True)
    evidence: dict[str, int | str | list[str]] = {
        "active_holds": len(active),
        "people_held": len(named),
        "erasures_waiting_for_a_release": held.filter(erasure_requested_at__isnull=False).count(),
        "holds_whose_people_were_erased": len(erased_while_held),
    }
    if erased_while_held:
        evidence["holds"] = _references("hold #", sorted(erased_while_held))
    return Outcome(not erased_while_held, evidence)


@check(
    "Every privacy request was answered by its state's deadline, or by the extended one, and an "
    "extension always has its reason."
)
def privacy_requests_are_answered_in_time(now: datetime) -> Outcome:
    today = timezone.localdate(now)
    requests = DataRequest.objects.filter(duplicate_of__isnull=True)
    closed_late = list(
        requests.filter(closed_on__isnull=False)
        .filter(
            Q(extended_due_on__isnull=True, closed_on__gt=F("due_on"))
            | Q(extended_due_on__isnull=False, closed_on__gt=F("extended_due_on"))
        )
        .values_list("reference", flat=True)[:SHOWN]
    )
    open_overdue = list(
        requests.filter(status__in=OPEN_STATUSES)
        .filter(
            Q(extended_due_on__isnull=True, due_on__lt=today)
            | Q(extended_due_on__isnull=False, extended_due_on__lt=today)
        )
        .values_list("reference", flat=True)[:SHOWN]
    )
    unexplained = list(
        requests.filter(extended_due_on__isnull=False, extension_reason="").values_list(
            "reference", flat=True
        )[:SHOWN]
    )
    beyond_the_law = _due_later_than_the_law_allows(requests)
    evidence: dict[str, int | str | list[str]] = {
        "requests": requests.count(),
        "due_later_than_the_law_allows": len(beyond_the_law),
        "closed": requests.filter(closed_on__isnull=False).count(),
        "extended": requests.filter(extended_due_on__isnull=False).count(),
        "closed_late": len(closed_late),
        "open_past_due": len(open_overdue),
        "extended_without_reason": len(unexplained),
    }
    for name, references in (
        ("due_later_than_the_law_allows_requests", beyond_the_law[:SHOWN]),
        ("closed_late_requests", closed_late),
        ("open_past_due_requests", open_overdue),
        ("extended_without_reason_requests", unexplained),
    ):
        if references:
            evidence[name] = references
    return Outcome(
        not closed_late and not open_overdue and not unexplained and not beyond_the_law, evidence
    )


def _due_later_than_the_law_allows(requests: QuerySet[DataRequest]) -> list[str]:
    """Requests whose stored deadlines are later than their state's row in the law table allows,
    worked out here from the row's days rather than by the code that set them."""
    late: list[str] = []
    for reference, rules, received, due, extended, appeal in (
        requests.order_by("pk")
        .values_list("reference", "rules", "received_on", "due_on", "extended_due_on", "appeal_of")
        .iterator(chunk_size=CHUNK)
    ):
        law = rules_for(rules, on=received)
        if appeal is not None:
            if law.appeal_response_days is not None and due > received + timedelta(
                days=law.appeal_response_days
            ):
                late.append(reference)
            continue
        allowed = received + timedelta(days=law.response_days)
        if due > allowed or (
            extended is not None and extended > allowed + timedelta(days=law.extension_days)
        ):
            late.append(reference)
    return late


@check(
    "Every possible minor got a decision (erased, not a minor, or a parent's verified consent) "
    "within three business days."
)
def possible_minors_are_decided_in_time(now: datetime) -> Outcome:
    today = timezone.localdate(now)
    late: list[int] = []
    cases = 0
    for pk, opened_at, closed_at in (
        MinorsCase.objects.order_by("pk")
        .values_list("pk", "opened_at", "closed_at")
        .iterator(chunk_size=CHUNK)
    ):
        cases += 1
        due = add_business_days(timezone.localdate(opened_at), MINORS_REVIEW_BUSINESS_DAYS)
        decided = timezone.localdate(closed_at) if closed_at is not None else None
        if (decided is not None and decided > due) or (decided is None and today > due):
            late.append(pk)
    evidence: dict[str, int | str | list[str]] = {"cases": cases, "decided_late": len(late)}
    if late:
        evidence["late_cases"] = _references("minors case #", late)
    return Outcome(not late, evidence)


@check(
    "No account holder was under 18 on the day they registered: each birth date, opened under "
    "its person's key, is checked against the day the account was opened."
)
def account_holders_were_adults_when_they_registered(now: datetime) -> Outcome:
    accounts = 0
    not_judged = 0
    minors: list[int] = []
    for user in (
        User.objects.filter(is_staff=False)
        .select_related("person")
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    ):
        accounts += 1
        try:
            born = user.date_of_birth
        except Exception:  # noqa: BLE001  (an erased person's key is gone: nothing to open)
            born = None
        if born is None:
            not_judged += 1
            continue
        joined = timezone.localdate(user.date_joined)
        # Worked out here, not by accounts.age: a check must not trust the code it verifies.
        age = joined.year - born.year - ((joined.month, joined.day) < (born.month, born.day))
        if age < 18:
            minors.append(user.pk)
    evidence: dict[str, int | str | list[str]] = {
        "accounts": accounts,
        "without_a_birth_date_to_open": not_judged,
        "under_18_when_registered": len(minors),
    }
    if minors:
        evidence["accounts_of_minors"] = _references("account #", minors)
    return Outcome(not minors, evidence)


@check(
    "Every breach notice went out by its state's deadline (with any law-enforcement delay "
    "recorded), or the person is covered by the posted substitute notice in time."
)
def breach_notices_go_out_in_time(now: datetime) -> Outcome:
    late: list[str] = []
    incidents = 0
    for incident in Incident.objects.filter(affected__isnull=False).distinct().order_by("pk"):
        incidents += 1
        due = {clock.state: clock.due_at for clock in clocks_for(incident, now=now).states}
        for state, notified_at, unreachable in (
            AffectedPerson.objects.filter(incident=incident)
            .values_list("state", "notified_at", "unreachable")
            .iterator(chunk_size=CHUNK)
        ):
            deadline = due.get(state)
            if deadline is None:
                continue
            told = incident.posted_at if unreachable else notified_at
            if (told is not None and told > deadline) or (told is None and now > deadline):
                late.append(f"incident #{incident.pk} ({state})")
    unique = sorted(set(late))
    evidence: dict[str, int | str | list[str]] = {
        "incidents": incidents,
        "people_told_late": len(late),
    }
    if unique:
        evidence["late"] = unique[:SHOWN]
    return Outcome(not late, evidence)


@check(
    "Every disclosure of personal information is in the disclosure log and the audit log, and "
    "every recipient it names is in the register."
)
def every_disclosure_is_logged(now: datetime) -> Outcome:
    audited = set(
        AuditEntry.objects.filter(
            event=Event.DISCLOSURE_RECORDED, target_type="disclosures.disclosure"
        ).values_list("target_id", flat=True)
    )
    logged = 0
    unaudited: list[int] = []
    for pk in Disclosure.objects.order_by("pk").values_list("pk", flat=True).iterator(CHUNK):
        logged += 1
        if str(pk) not in audited:
            unaudited.append(pk)
    unregistered = Disclosure.objects.exclude(recipient__in=Recipient.objects.values("pk")).count()
    evidence: dict[str, int | str | list[str]] = {
        "disclosures": logged,
        "without_an_audit_entry": len(unaudited),
        "to_unregistered_recipients": unregistered,
    }
    if unaudited:
        evidence["unaudited"] = _references("disclosure #", unaudited)
    return Outcome(not unaudited and unregistered == 0, evidence)


@check(
    f"Every de-identified export kept each combination of quasi-identifiers shared by at least "
    f"k people (k ≥ {DEFAULT_K})."
)
def deidentified_exports_meet_their_k(now: datetime) -> Outcome:
    exports = Disclosure.objects.filter(kind=DisclosureKind.DEIDENTIFIED_EXPORT)
    weak = list(
        exports.filter(Q(k__isnull=True) | Q(k__lt=DEFAULT_K)).values_list("pk", flat=True)[:SHOWN]
    )
    evidence: dict[str, int | str | list[str]] = {
        "exports": exports.count(),
        "below_k": len(weak),
    }
    if weak:
        evidence["below_k_exports"] = _references("disclosure #", weak)
    return Outcome(not weak, evidence)


@check(
    "Every account holder was told of each material change: a notice recorded for each, handed "
    "to the mail server or seen on the site, once the announcement finished."
)
def material_changes_reach_every_account_holder(now: datetime) -> Outcome:
    versions = PolicyVersion.objects.filter(
        status=VersionStatus.PUBLISHED, material=True, announced_at__isnull=False
    )
    untold: list[str] = []
    # Counted here from the accounts themselves, not from the announcer's own totals: a day
    # after the announcement, every account open then must have its notice.
    for version in versions.filter(announced_at__lt=now - timedelta(days=1)).order_by("pk"):
        holders = User.objects.filter(is_staff=False, date_joined__lte=version.announced_at)
        holders = holders.exclude(closed_at__lte=version.announced_at)
        told = PolicyNotice.objects.filter(version=version).values("person")
        missing = holders.exclude(person__in=told).count()
        if missing:
            untold.append(f"{version.document} v{version.number} ({missing})")
    evidence: dict[str, int | str | list[str]] = {
        "material_versions": versions.count(),
        "with_people_not_told": len(untold),
    }
    if untold:
        evidence["versions"] = untold[:SHOWN]
    return Outcome(not untold, evidence)


@check(
    "Global Privacy Control is honoured: no browser that sent it is recorded as allowing "
    "marketing, and every such browser has a recorded opt-out."
)
def gpc_is_honoured(now: datetime) -> Outcome:
    with_gpc = ConsentRecord.objects.filter(gpc=True)
    allowed = list(with_gpc.filter(marketing=True).values_list("pk", flat=True)[:SHOWN])
    browsers = with_gpc.values("browser_id").distinct().count()
    recorded = (
        ConsentRecord.objects.filter(source=ConsentSource.GPC).values("browser_id").distinct()
    ).count()
    evidence: dict[str, int | str | list[str]] = {
        "browsers_with_gpc": browsers,
        "browsers_with_a_recorded_opt_out": recorded,
        "records_allowing_marketing_under_gpc": len(allowed),
    }
    if allowed:
        evidence["records"] = _references("consent record #", allowed)
    return Outcome(not allowed, evidence)


@check(
    "Do Not Track is recorded with each choice but changes nothing: no choice is made on its own "
    "because of it, as the policy discloses."
)
def dnt_is_recorded_and_not_acted_on(now: datetime) -> Outcome:
    with_dnt = ConsentRecord.objects.filter(dnt=True)
    # A choice the system makes by itself is recorded with the signal that made it: GPC's source.
    acted_on = list(
        with_dnt.filter(source=ConsentSource.GPC, gpc=False).values_list("pk", flat=True)[:SHOWN]
    )
    evidence: dict[str, int | str | list[str]] = {
        "records_with_dnt": with_dnt.count(),
        "choices_made_because_of_dnt": len(acted_on),
    }
    if acted_on:
        evidence["records"] = _references("consent record #", acted_on)
    return Outcome(not acted_on, evidence)


@check(
    "The public “what we collect” list, the State Privacy Notice's table and recipients, and the "
    "data map name the same kinds of information and the same recipients."
)
def public_lists_match_the_data_map(now: datetime) -> Outcome:
    listed = {item.category for item in what_we_collect()}
    declared = {
        category for category in _declared_categories() if not category.startswith("system.")
    }
    unknown = sorted(listed - set(DATA_CATEGORIES))
    missing = sorted(declared - listed)
    register = set(Recipient.objects.filter(active=True).values_list("slug", flat=True))
    named = _declared_recipients()
    not_registered = sorted(named - register)
    received = {
        category
        for categories in Recipient.objects.filter(active=True).values_list("categories", flat=True)
        for category in categories
    }
    # A recipient may receive a whole branch ("user.contact"): it must cover a known category.
    unknown_received = sorted(
        category
        for category in received
        if not any(
            known == category or known.startswith(f"{category}.") for known in DATA_CATEGORIES
        )
    )
    evidence: dict[str, int | str | list[str]] = {
        "categories_listed": len(listed),
        "categories_declared": len(declared),
        "listed_but_not_in_the_taxonomy": len(unknown),
        "declared_but_not_listed": len(missing),
        "active_recipients": len(register),
        "recipients_named_but_not_registered": len(not_registered),
        "recipient_categories_not_in_the_taxonomy": len(unknown_received),
    }
    for name, values in (
        ("not_in_the_taxonomy", unknown),
        ("not_listed", missing),
        ("not_registered", not_registered),
        ("unknown_recipient_categories", unknown_received),
    ):
        if values:
            evidence[name] = values[:SHOWN]
    return Outcome(not (unknown or missing or not_registered or unknown_received), evidence)


def _declared_categories() -> set[str]:
    return {mapped.personal.category for mapped in personal_fields()}


def _declared_recipients() -> set[str]:
    return {slug for mapped in personal_fields() for slug in mapped.personal.recipients}


@system_checks.register()
def registry_names_only_clauses_that_exist(**kwargs: object) -> list[system_checks.CheckMessage]:
    """A clause key in the registry that the first published versions do not contain is refused
    at start-up (later versions are compared by verify_policy, which reads the database)."""
    from goodskin.compliance.registry import CHECKS  # noqa: PLC0415
    from goodskin.policies.documents import parse  # noqa: PLC0415

    known = {
        f"{document}:{clause.key}"
        for document in DOCUMENTS
        for section in parse(FIRST_VERSIONS[document])
        for clause in section.clauses
    }
    errors: list[system_checks.CheckMessage] = []
    for key in sorted((set(CLAUSES) | set(UNVERIFIED)) - known):
        errors.append(
            system_checks.Error(
                f"The compliance registry names clause {key!r}, which no published version has.",
                hint="Remove it from goodskin/compliance/registry.py or fix its key.",
                id="compliance.E001",
            )
        )
    for key in sorted(set(CLAUSES) & set(UNVERIFIED)):
        errors.append(
            system_checks.Error(
                f"Clause {key!r} is both verified and listed as unverified.",
                id="compliance.E002",
            )
        )
    for key, names in sorted(CLAUSES.items()):
        for name in names:
            if name not in CHECKS:
                errors.append(
                    system_checks.Error(
                        f"Clause {key!r} names check {name!r}, which does not exist.",
                        id="compliance.E003",
                    )
                )
    return errors
