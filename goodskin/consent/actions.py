"""Recording choices and signals as consent records, each with its audit entry."""

from __future__ import annotations

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
    if throttle.is_blocked(SIGNAL_RECORDS, network, now=now):
        return False
    throttle.hit(SIGNAL_RECORDS, network, now=now)
    return True


@transaction.atomic
def link_browser_to_person(*, browser_id: str, person: Person) -> int:
    """On sign-in: this browser's earlier choices become the person's."""
    return ConsentRecord.objects.filter(browser_id=browser_id, person__isnull=True).update(
        person=person
    )
