"""Recording choices and signals as consent records, each with its audit entry."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.consent.choices import Choices
from goodskin.consent.models import ConsentRecord, Source
from goodskin.consent.state import (
    PrivacyState,
    banner_text_hash,
    cookie_value,
    new_browser_id,
)
from goodskin.core import throttle
from goodskin.core.network import truncate_ip
from goodskin.vault.models import Person


@transaction.atomic
def record_choice(
    *,
    state: PrivacyState,
    choices: Choices,
    source: Source,
    language: str,
    person: Person | None,
) -> tuple[ConsentRecord, str]:
    """Store the choice (GPC still wins for marketing) and return the record and the new cookie."""
    browser_id = state.browser_id or new_browser_id()
    if state.gpc:
        choices = Choices(choices.preferences, choices.analytics, False)
    consent = ConsentRecord.objects.create(
        browser_id=browser_id,
        person=person,
        preferences=choices.preferences,
        analytics=choices.analytics,
        marketing=choices.marketing,
        source=source,
        gpc=state.gpc,
        dnt=state.dnt,
        policy_version=settings.PRIVACY_POLICY_VERSION,
        banner_text_hash=banner_text_hash(language),
        language=language,
    )
    record(
        Event.CONSENT_RECORDED,
        subject=person,
        target=consent,
        data={
            "source": str(source),
            "preferences": choices.preferences,
            "analytics": choices.analytics,
            "marketing": choices.marketing,
            "gpc": state.gpc,
        },
    )
    return consent, cookie_value(
        browser_id=browser_id, choices=choices, gpc_recorded=state.gpc or state.gpc_recorded
    )


def record_opt_out_signal(
    *, state: PrivacyState, language: str, person: Person | None
) -> tuple[PrivacyState, str]:
    """A Global Privacy Control signal seen for the first time on this browser: an opt-out of
    sale, sharing and targeted advertising, recorded once. Other choices stay as they were."""
    current = state.choices or Choices()
    opted_out = Choices(current.preferences, current.analytics, False)
    consent, cookie = record_choice(
        state=state, choices=opted_out, source=Source.GPC, language=language, person=person
    )
    updated = PrivacyState(
        gpc=True,
        dnt=state.dnt,
        browser_id=consent.browser_id,
        choices=opted_out,
        gpc_recorded=True,
    )
    return updated, cookie


# A client that sends GPC but keeps no cookies would otherwise be recorded on every request; the
# signal is honoured regardless, the record is only the proof. 30 new records an hour per network.
SIGNAL_RECORDS = throttle.Limit("consent:gpc-records", 30, timedelta(hours=1))


def may_record_signal(*, client_address: str) -> bool:
    network = truncate_ip(client_address) or "unknown"
    now = timezone.now()
    return throttle.attempt((SIGNAL_RECORDS, network), now=now)


@transaction.atomic
def link_browser_to_person(*, browser_id: str, person: Person) -> int:
    """On sign-in: this browser's earlier choices become the person's, and an opt-out they made by
    privacy request reaches it, unless they have chosen otherwise on it, signed in, since."""
    standing = (
        ConsentRecord.objects.filter(
            person=person, browser_id=EVERY_BROWSER, source=Source.PRIVACY_REQUEST
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    chose_since = (
        standing is not None
        and ConsentRecord.objects.filter(
            browser_id=browser_id, person=person, created_at__gt=standing.created_at
        ).exists()
    )
    linked = ConsentRecord.objects.filter(browser_id=browser_id, person__isnull=True).update(
        person=person
    )
    if standing is not None and not chose_since:
        latest = (
            ConsentRecord.objects.filter(browser_id=browser_id)
            .order_by("-created_at", "-pk")
            .first()
        )
        if latest is not None and latest.marketing is not False:
            _record_opt_out(
                browser_id=browser_id, person=person, latest=latest, language=latest.language
            )
            record(
                Event.CONSENT_RECORDED,
                subject=person,
                data={"source": str(Source.PRIVACY_REQUEST), "marketing": False},
            )
    return linked


# The person-level record of a privacy-request opt-out has no browser: it reaches every browser the
# person signs in on later.
EVERY_BROWSER = ""


@transaction.atomic
def opt_out_everywhere(*, person: Person, language: str) -> int:
    """A privacy request's opt-out of sale, sharing and targeted advertising, for every browser the
    person has used while signed in and, through a person-level record, every browser they sign
    in on later (reconciled on their next visit). Other choices stay as they were. Returns how many
    known browsers were opted out."""
    browsers = sorted(
        set(
            ConsentRecord.objects.filter(person=person)
            .exclude(browser_id=EVERY_BROWSER)
            .values_list("browser_id", flat=True)
        )
    )
    for browser_id in [*browsers, EVERY_BROWSER]:
        latest = (
            ConsentRecord.objects.filter(browser_id=browser_id, person=person)
            .order_by("-created_at", "-pk")
            .first()
        )
        _record_opt_out(browser_id=browser_id, person=person, latest=latest, language=language)
    record(
        Event.CONSENT_RECORDED,
        subject=person,
        data={"source": str(Source.PRIVACY_REQUEST), "marketing": False, "browsers": len(browsers)},
    )
    return len(browsers)


def _record_opt_out(
    *, browser_id: str, person: Person | None, latest: ConsentRecord | None, language: str
) -> ConsentRecord:
    return ConsentRecord.objects.create(
        browser_id=browser_id,
        person=person,
        preferences=latest.preferences if latest else None,
        analytics=latest.analytics if latest else None,
        marketing=False,
        source=Source.PRIVACY_REQUEST,
        gpc=False,
        dnt=False,
        policy_version=settings.PRIVACY_POLICY_VERSION,
        banner_text_hash="",
        language=language,
    )


def reconcile(*, state: PrivacyState) -> tuple[PrivacyState, str] | None:
    """A browser whose cookie still allows marketing after its person opted out by a privacy
    request: the server's newest record wins, the browser gets a new cookie, and the GPP string and
    Consent Mode follow. None when nothing changes. Only browsers that accepted marketing pay for
    this: one indexed read."""
    if state.browser_id is None or state.choices is None or state.choices.marketing is not True:
        return None
    latest = (
        ConsentRecord.objects.filter(browser_id=state.browser_id)
        .order_by("-created_at", "-pk")
        .values_list("marketing", flat=True)
        .first()
    )
    if latest is not False:
        return None
    choices = Choices(state.choices.preferences, state.choices.analytics, False)
    return replace(state, choices=choices), cookie_value(
        browser_id=state.browser_id, choices=choices, gpc_recorded=state.gpc_recorded
    )
