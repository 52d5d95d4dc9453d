"""What a person wants to hear, and what they must not be sent: preferences per topic and
channel, opt-outs by link, reply and STOP, keyed-fingerprint suppression, and marketing pauses
(ADR 0030). Marketing is still decided again at the moment of sending (ADR 0012).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.fingerprints import Fingerprinter
from goodskin.communications.models import (
    MARKETING_TOPICS,
    Campaign,
    Channel,
    ContactPreferences,
    Interest,
    MarketingPause,
    PauseReason,
    Source,
    Subscription,
    Suppression,
    SuppressionReason,
)
from goodskin.communications.queries import preferences_by_link, topic_default
from goodskin.communications.tokens import UnsubscribeLink
from goodskin.core.validation import normalise_email
from goodskin.vault.models import Person


def preferences_of(person: Person, *, language: str | None = None) -> ContactPreferences:
    """The person's preferences row, made on first need (it holds the id their links carry)."""
    row, created = ContactPreferences.objects.get_or_create(
        person=person, defaults={"language": language or "en"}
    )
    return row


def _fingerprint_of(person: Person, channel: str, fingerprinter: Fingerprinter) -> str | None:
    address = person.email if channel == Channel.EMAIL else person.phone
    return None if address is None else fingerprinter(channel, address)


# Only the person's own opt-in undoes their earlier opt-out.
_PERSON_SAID_SO = frozenset({Source.ACCOUNT, Source.LINK, Source.SIGNUP})


def _lift_unsubscribe(
    person: Person, topic: str, channel: str, fingerprinter: Fingerprinter, source: Source
) -> None:
    fingerprint = _fingerprint_of(person, channel, fingerprinter)
    lifted, _ = Suppression.objects.filter(
        fingerprint=fingerprint, topic__in=["", topic], reason=SuppressionReason.UNSUBSCRIBED
    ).delete()
    if lifted:
        record(
            Event.SUPPRESSION_LIFTED,
            subject=person,
            data={"channel": channel, "source": str(source)},
        )


@transaction.atomic
def set_choices(
    *,
    person: Person,
    choices: dict[tuple[str, str], bool],
    source: Source,
    campaign_id: int | None = None,
) -> list[str]:
    """Record the person's choice for each (topic, channel) given; return what changed, as
    "topic:channel" names. An explicit marketing opt-in lifts an earlier suppression of the same
    address; opting out never needs anything but this call."""
    now = timezone.now()
    changed: list[str] = []
    fingerprinter: Fingerprinter | None = None
    preferences_of(person)  # the unsubscribe links of future messages name its link id
    for (topic, channel), subscribed in sorted(choices.items()):
        row = (
            Subscription.objects.select_for_update()
            .filter(person=person, topic=topic, channel=channel)
            .first()
        )
        if subscribed and topic in MARKETING_TOPICS and source in _PERSON_SAID_SO:
            fingerprinter = fingerprinter or Fingerprinter()
            _lift_unsubscribe(person, topic, channel, fingerprinter, source)
        if not subscribed and topic in MARKETING_TOPICS:
            # Remembered in the keyring too, so restoring a data backup cannot undo it.
            fingerprinter = fingerprinter or Fingerprinter()
            _suppress(
                _fingerprint_of(person, channel, fingerprinter),
                channel,
                SuppressionReason.UNSUBSCRIBED,
                source=source,
                person=person,
                topic=topic,
                audit=False,
            )
        if row is not None and row.subscribed == subscribed:
            continue
        if row is None:
            Subscription.objects.create(
                person=person,
                topic=topic,
                channel=channel,
                subscribed=subscribed,
                source=source,
                changed_at=now,
            )
        else:
            row.subscribed = subscribed
            row.source = source
            row.changed_at = now
            row.save(update_fields=["subscribed", "source", "changed_at"])
        if row is not None or subscribed != topic_default(topic):
            changed.append(f"{topic}:{channel}")
    if changed:
        record(
            Event.SUBSCRIPTION_CHANGED,
            subject=person,
            target=person,
            data={
                "changed": changed,
                "source": str(source),
                "campaign": campaign_id,
            },
        )
    return changed


def _suppress(
    fingerprint: str | None,
    channel: str,
    reason: SuppressionReason,
    *,
    source: Source,
    person: Person | None = None,
    topic: str = "",
    audit: bool = True,
) -> None:
    """Add a fingerprint to the list (once), with an audit entry the first time. The row goes
    to the keyring database and commits there at once: if the caller's transaction then fails,
    the address stays suppressed, which errs on the side of sending nothing."""
    if fingerprint is None:
        return
    _, created = Suppression.objects.get_or_create(
        fingerprint=fingerprint, topic=topic, defaults={"channel": channel, "reason": reason}
    )
    if created and audit:
        record(
            Event.ADDRESS_SUPPRESSED,
            subject=person,
            data={"channel": channel, "reason": str(reason), "source": str(source)},
        )


@transaction.atomic
def unsubscribe_from_marketing(
    *,
    person: Person,
    source: Source,
    channels: Iterable[str] = (Channel.EMAIL, Channel.SMS),
    campaign_id: int | None = None,
) -> list[str]:
    """Every marketing topic off on the given channels, and the addresses suppressed, so that a
    later import or sign-up of the same address cannot quietly put it back."""
    channels = tuple(channels)
    changed = set_choices(
        person=person,
        choices={
            (topic.value, channel): False for topic in MARKETING_TOPICS for channel in channels
        },
        source=source,
        campaign_id=campaign_id,
    )
    fingerprinter = Fingerprinter()
    for channel in channels:
        fingerprint = _fingerprint_of(person, channel, fingerprinter)
        _suppress(
            fingerprint, channel, SuppressionReason.UNSUBSCRIBED, source=source, person=person
        )
    return changed


@transaction.atomic
def unsubscribe_by_link(*, link: UnsubscribeLink, source: Source, everything: bool) -> None:
    """What an unsubscribe link does: the message's topic off (or all marketing). A link whose
    person has been erased does nothing, and says nothing different."""
    preferences = preferences_by_link(link.link_id)
    if preferences is None:
        return
    person = preferences.person
    if everything:
        changed = unsubscribe_from_marketing(
            person=person, source=source, channels=(link.channel,), campaign_id=link.campaign_id
        )
    else:
        changed = set_choices(
            person=person,
            choices={(link.topic, link.channel): False},
            source=source,
            campaign_id=link.campaign_id,
        )
    if changed and link.campaign_id is not None:
        Campaign.objects.filter(pk=link.campaign_id).update(unsubscribed=F("unsubscribed") + 1)


@transaction.atomic
def record_opt_out_for_address(*, email: str, source: Source) -> None:
    """An opt-out that arrived by email or phone, entered by staff or read from the unsubscribe
    mailbox. The address is suppressed whether or not we know it, so the answer never reveals
    whether the clinic holds anything about that address."""
    fingerprint = Fingerprinter()(Channel.EMAIL, email)
    person = Person.objects.filter(email=normalise_email(email), erased_at__isnull=True).first()
    if person is not None:
        unsubscribe_from_marketing(person=person, source=source, channels=(Channel.EMAIL,))
    else:
        _suppress(fingerprint, Channel.EMAIL, SuppressionReason.UNSUBSCRIBED, source=source)


@transaction.atomic
def record_sms_stop(*, phone: str) -> None:
    """A STOP reply to one of our texts: no more marketing texts to that number, known or not."""
    fingerprinter = Fingerprinter()
    person = Person.objects.filter(phone=phone, erased_at__isnull=True).first()
    if person is not None:
        unsubscribe_from_marketing(person=person, source=Source.SMS_REPLY, channels=(Channel.SMS,))
    else:
        fingerprint = fingerprinter(Channel.SMS, phone)
        _suppress(fingerprint, Channel.SMS, SuppressionReason.UNSUBSCRIBED, source=Source.SMS_REPLY)


@transaction.atomic
def pause_marketing(*, person: Person, reason: PauseReason) -> bool:
    """Stop every marketing message to the person until `lift_marketing_pause`; True when a
    pause began (False: one was already open). Sanctioned for any app, like queueing essential
    mail (ADR 0030): a form that reads "I am 15" must stop offers before anyone looks at it."""
    with transaction.atomic():
        if MarketingPause.objects.filter(
            person=person, reason=reason, lifted_at__isnull=True
        ).exists():
            return False
        pause = MarketingPause.objects.create(person=person, reason=reason)
        record(Event.MARKETING_PAUSED, subject=person, target=pause, data={"reason": reason})
    return True


@transaction.atomic
def lift_marketing_pause(*, person: Person, reason: PauseReason) -> bool:
    lifted = MarketingPause.objects.filter(
        person=person, reason=reason, lifted_at__isnull=True
    ).update(lifted_at=timezone.now())
    if lifted:
        record(Event.MARKETING_PAUSE_LIFTED, subject=person, data={"reason": reason})
    return bool(lifted)


def suppress_as_minor(*, person: Person) -> None:
    """A child's address and number are fingerprinted in the keyring before their erasure, so
    nothing is ever sent to them again."""
    fingerprinter = Fingerprinter()
    for channel in (Channel.EMAIL, Channel.SMS):
        fingerprint = _fingerprint_of(person, channel, fingerprinter)
        _suppress(fingerprint, channel, SuppressionReason.MINOR, source=Source.STAFF, person=person)


@transaction.atomic
def suppress_bounced_address(*, person: Person, channel: str) -> None:
    fingerprint = _fingerprint_of(person, channel, Fingerprinter())
    _suppress(fingerprint, channel, SuppressionReason.BOUNCED, source=Source.BOUNCE, person=person)


@transaction.atomic
def update_preferences(
    *,
    person: Person,
    choices: dict[tuple[str, str], bool],
    source: Source,
    language: str | None = None,
    home_clinic_id: int | None = None,
    interest_ids: Iterable[int] | None = None,
) -> list[str]:
    """The preference centre's save: topic choices plus clinic, interests and language."""
    changed = set_choices(person=person, choices=choices, source=source)
    preferences = preferences_of(person, language=language)
    fields: list[str] = []
    if language is not None and preferences.language != language:
        preferences.language = language
        fields.append("language")
    if preferences.home_clinic_id != home_clinic_id:
        preferences.home_clinic_id = home_clinic_id
        fields.append("home_clinic")
    if fields:
        preferences.save(update_fields=[*fields, "updated_at"])
    if interest_ids is not None:
        wanted = set(interest_ids)
        held = set(Interest.objects.filter(person=person).values_list("service_id", flat=True))
        if held != wanted:
            Interest.objects.filter(person=person, service_id__in=held - wanted).delete()
            Interest.objects.bulk_create(
                [Interest(person=person, service_id=service_id) for service_id in wanted - held]
            )
            fields.append("interests")
    if fields:
        record(
            Event.SUBSCRIPTION_CHANGED,
            subject=person,
            target=preferences,
            data={"fields": fields, "source": str(source)},
        )
    return changed + fields
