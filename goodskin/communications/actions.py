"""Every write about messages, preferences, suppression, notices and campaigns.

Keyword-only, atomic, audited. Queueing a message writes its outbox row in the caller's
transaction and asks the worker to deliver once that transaction commits; nothing here talks to a
mail server (delivery.py does, from the worker).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event

# By module: the tasks run these actions, so each side looks the other up when it runs.
from goodskin.communications import tasks
from goodskin.communications.fingerprints import Fingerprinter
from goodskin.communications.models import (
    MARKETING_TOPICS,
    Campaign,
    CampaignStatus,
    Channel,
    ContactPreferences,
    Interest,
    Kind,
    MarketingPause,
    Message,
    Notice,
    PauseReason,
    Source,
    Status,
    Subscription,
    Suppression,
    SuppressionReason,
)
from goodskin.communications.queries import campaign_audience, preferences_by_link, topic_default
from goodskin.communications.rendering import render_essential
from goodskin.communications.tokens import UnsubscribeLink
from goodskin.core.validation import normalise_email
from goodskin.vault import keys
from goodskin.vault.models import Person


def _deliver_after_commit() -> None:
    """Wake the worker once the queued rows are committed. Extra wake-ups are harmless: a
    delivery run that finds nothing due ends at once."""

    transaction.on_commit(tasks.deliver_outbox.enqueue)


def _essential_message(
    *,
    template: str,
    language: str,
    context: dict[str, Any],
    dedupe_key: str | None,
    **fields: Any,
) -> Message:
    """An essential email, rendered now and sealed (under the person's key, or the message's
    own when `own_key_id` is given), not yet saved."""
    rendered = render_essential(template=template, language=language, context=context)
    message = Message(
        kind=Kind.ESSENTIAL,
        channel=Channel.EMAIL,
        template=template,
        language=language,
        dedupe_key=dedupe_key,
        next_attempt_at=timezone.now(),
        **fields,
    )
    message.subject = rendered.subject
    message.body = rendered.text
    return message


@transaction.atomic
def queue_essential_email(
    *,
    person: Person,
    template: str,
    language: str,
    context: dict[str, Any],
    dedupe_key: str | None = None,
) -> Message | None:
    """Queue one essential email to the person's address, rendered now and sealed under their
    key. Returns None when `dedupe_key` was already used (the message exists already)."""
    if dedupe_key is not None and Message.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    message = _essential_message(
        template=template, language=language, context=context, dedupe_key=dedupe_key, person=person
    )
    message.save()
    _deliver_after_commit()
    return message


def queue_email_to_address(
    *,
    address: str,
    template: str,
    language: str,
    context: dict[str, Any],
    dedupe_key: str,
    waiting: bool = False,
) -> Message:
    """An essential email to an address that is no person's current one: an address about to be
    erased or just corrected away, or an organisation's privacy contact. Sealed under a key of
    the message's own and forgotten (the key destroyed) once it is sent or given up; `waiting`
    holds it until `release_farewell`. Idempotent on `dedupe_key`."""
    existing = Message.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    message = _essential_message(
        template=template,
        language=language,
        context=context,
        dedupe_key=dedupe_key,
        person=None,
        own_key_id=keys.create_key(),
        status=Status.WAITING if waiting else Status.QUEUED,
    )
    message.address = address
    message.save()
    if not waiting:
        _deliver_after_commit()
    return message


def queue_farewell_email(
    *, address: str, template: str, language: str, context: dict[str, Any], dedupe_key: str
) -> Message:
    """The confirmation of a deletion, to the address captured just before its person is
    erased, waiting until `release_farewell` says the erasure is done."""
    return queue_email_to_address(
        address=address,
        template=template,
        language=language,
        context=context,
        dedupe_key=dedupe_key,
        waiting=True,
    )


def release_farewell(*, dedupe_key: str) -> bool:
    """Let a waiting farewell go: the work it reports on is done. True if one was released."""
    released = Message.objects.filter(dedupe_key=dedupe_key, status=Status.WAITING).update(
        status=Status.QUEUED, next_attempt_at=timezone.now()
    )
    if released:
        _deliver_after_commit()
    return bool(released)


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


@transaction.atomic
def post_notice(
    *,
    person: Person,
    kind: str,
    title: str,
    body: str,
    link: str = "",
    dedupe_key: str | None = None,
) -> Notice | None:
    """Put a notice in the person's notification centre. None if `dedupe_key` was used before."""
    if dedupe_key is not None and Notice.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    notice = Notice.objects.create(
        person=person,
        kind=kind,
        title=title,
        body=body,
        link=link,
        dedupe_key=dedupe_key,
        created_at=timezone.now(),
    )
    record(Event.NOTICE_POSTED, subject=person, target=notice, data={"kind": kind})
    return notice


@transaction.atomic
def mark_notices_read(*, person: Person, notices: Iterable[Notice]) -> int:
    """Read receipts: the first reading time is kept; reading again changes nothing."""
    now = timezone.now()
    marked = 0
    for notice in notices:
        if notice.person_id != person.pk or notice.read_at is not None:
            continue
        notice.read_at = now
        notice.save(update_fields=["read_at"])
        record(Event.NOTICE_READ, subject=person, target=notice, data={"kind": notice.kind})
        marked += 1
    return marked


# A form posted a few seconds after the minute it named is not "in the past".
_GRACE = timedelta(minutes=1)

# Campaigns -----------------------------------------------------------------------------------

CAMPAIGN_FIELDS = (
    "name",
    "topic",
    "channel",
    "subject_en",
    "body_en",
    "subject_es",
    "body_es",
    "audience_clinic",
    "audience_interest",
)


class CampaignLocked(ValueError):
    """The campaign has started; its text and audience can no longer change."""


@transaction.atomic
def save_campaign(*, campaign: Campaign) -> Campaign:
    """Create or edit a draft. The caller has validated the fields (forms.CampaignForm)."""
    if not campaign._state.adding:
        stored = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if stored.status != CampaignStatus.DRAFT:
            raise CampaignLocked("Only a draft can be edited.")
        campaign.save(update_fields=list(CAMPAIGN_FIELDS))
    else:
        campaign.status = CampaignStatus.DRAFT
        campaign.save()
    record(Event.CAMPAIGN_SAVED, target=campaign, data={"topic": campaign.topic})
    return campaign


@transaction.atomic
def schedule_campaign(*, campaign: Campaign, send_at: datetime) -> Campaign:
    """Fix the audience size and hand the campaign to the worker for `send_at` (or now)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise CampaignLocked("This campaign has already been scheduled.")
    now = timezone.now()
    if send_at < now - _GRACE:
        raise ValueError("The sending time is in the past.")
    campaign.status = CampaignStatus.SCHEDULED
    campaign.scheduled_for = max(send_at, now)
    campaign.audience_size = campaign_audience(campaign).count()
    campaign.save(update_fields=["status", "scheduled_for", "audience_size"])
    record(
        Event.CAMPAIGN_SCHEDULED,
        target=campaign,
        data={"audience": campaign.audience_size, "channel": campaign.channel},
    )
    campaign_id, run_at = campaign.pk, campaign.scheduled_for

    transaction.on_commit(
        lambda: tasks.run_later(tasks.send_campaign, at=run_at, campaign_id=campaign_id)
    )
    return campaign


@transaction.atomic
def cancel_campaign(*, campaign: Campaign) -> int:
    """Stop a campaign: messages not yet handed over are withdrawn. Returns how many."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    waiting = Message.objects.filter(campaign=campaign, status=Status.QUEUED)
    if campaign.status == CampaignStatus.CANCELLED or (
        campaign.status == CampaignStatus.SENT and not waiting.exists()
    ):
        raise CampaignLocked("This campaign has finished.")
    withdrawn = waiting.update(status=Status.CANCELLED, last_error="Campaign cancelled by staff")
    campaign.status = CampaignStatus.CANCELLED
    campaign.finished_at = timezone.now()
    campaign.save(update_fields=["status", "finished_at"])
    record(Event.CAMPAIGN_CANCELLED, target=campaign, data={"withdrawn": withdrawn})
    return withdrawn


def queue_campaign_batch(*, campaign_id: int, batch_size: int = 1000) -> bool:
    """Queue the next `batch_size` recipients in one short transaction. Returns True when the
    whole audience is queued. Safe to repeat after a crash: the cursor and each message's
    dedupe key make a second run queue nothing twice."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.status in {CampaignStatus.SENT, CampaignStatus.CANCELLED, CampaignStatus.DRAFT}:
            return True
        now = timezone.now()
        if campaign.scheduled_for is not None and campaign.scheduled_for > now:
            return True  # a second, early run: the scheduled one will come
        if campaign.status == CampaignStatus.SCHEDULED:
            campaign.status = CampaignStatus.SENDING
            campaign.started_at = now
        people = list(
            campaign_audience(campaign)
            .filter(pk__gt=campaign.fanout_cursor)
            .values_list("pk", flat=True)[:batch_size]
        )
        languages = dict(
            ContactPreferences.objects.filter(person_id__in=people).values_list(
                "person_id", "language"
            )
        )
        Message.objects.bulk_create(
            [
                Message(
                    person_id=person_id,
                    kind=Kind.MARKETING,
                    channel=campaign.channel,
                    topic=campaign.topic,
                    template="campaign",
                    language=languages.get(person_id, "en"),
                    campaign=campaign,
                    dedupe_key=f"campaign:{campaign.pk}:person:{person_id}",
                    next_attempt_at=now,
                )
                for person_id in people
            ],
            ignore_conflicts=True,
        )
        finished = len(people) < batch_size
        if people:
            campaign.fanout_cursor = people[-1]
            record(
                Event.CAMPAIGN_BATCH_QUEUED,
                target=campaign,
                data={"messages": len(people), "last_person": people[-1]},
            )
        if finished:
            campaign.status = CampaignStatus.SENT
            campaign.finished_at = now
            record(
                Event.CAMPAIGN_FINISHED, target=campaign, data={"audience": campaign.audience_size}
            )
        campaign.save(update_fields=["status", "started_at", "fanout_cursor", "finished_at"])
        if people:
            _deliver_after_commit()
        return finished


@transaction.atomic
def release_in_doubt_message(*, message: Message, resend: bool) -> None:
    """Staff decide an interrupted message: send it again (they checked the mail server's log
    and it never arrived) or cancel it (it did, or it no longer matters)."""
    updated = Message.objects.filter(pk=message.pk, status=Status.IN_DOUBT).update(
        status=Status.QUEUED if resend else Status.CANCELLED,
        next_attempt_at=timezone.now(),
        claim_token=None,
        last_error="" if resend else "Cancelled by staff after an interrupted hand-over",
        **({} if resend else {"body_sealed": None}),
    )
    if not updated:
        raise ValueError("This message is no longer waiting for a decision.")
    record(
        Event.MESSAGE_RELEASED,
        subject=message.person,
        target=message,
        data={"resend": resend},
    )
    if resend:
        _deliver_after_commit()


@transaction.atomic
def record_bounce_after_delivery(*, message: Message, permanent: bool) -> None:
    """The mail server took the message, and the recipient's server later sent it back."""
    if not permanent:
        return  # a delayed-delivery warning: the remote server is still trying
    Message.objects.filter(pk=message.pk).update(
        status=Status.FAILED, last_error="Returned by the recipient's mail server after sending"
    )
    record(
        Event.MESSAGE_NOT_SENT,
        subject=message.person,
        target=message,
        data={"kind": message.kind, "status": "bounced"},
    )
    if message.person is not None:  # a farewell's address is forgotten already
        suppress_bounced_address(person=message.person, channel=message.channel)


def copy_send_times(rows: QuerySet[Any], *, into: str) -> int:
    """Copy, onto rows that point at an outbox message through `message`, the moment that message
    was handed to the mail server, into the field `into` where still empty. The proof that someone
    was told then outlives the outbox's own retention. Returns how many rows were filled."""
    sent_at = Message.objects.filter(pk=OuterRef("message_id")).values("sent_at")[:1]
    return rows.filter(**{f"{into}__isnull": True}, message__sent_at__isnull=False).update(
        **{into: Subquery(sent_at)}
    )
