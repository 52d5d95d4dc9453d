"""The outbox, what people want to hear about, who must not be mailed, and in-app notices.

A `Message` is written in the same transaction as the action that caused it and delivered later by
the worker (delivery.py). Marketing is decided at the moment of sending, from `Subscription` and
`Suppression`, never when the message is queued.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goodskin.core.datamap import DataSource, NotPersonal, OnErase, Personal, PersonalData
from goodskin.vault.fields import TEXT, SealedField, sealed


class Kind(models.TextChoices):
    # Account, security, rights requests, breach and material policy notices: sent whatever the
    # person's marketing choices, and never carrying marketing content.
    ESSENTIAL = "essential", "Essential"
    MARKETING = "marketing", "Marketing"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class Topic(models.TextChoices):
    OFFERS = "offers", _("Offers and events")
    NEWSLETTER = "newsletter", _("Newsletter")
    REMINDERS = "reminders", _("Appointment reminders")


_MARKETING_USES = ("marketing.communications.email", "marketing.communications.sms")

# Reminders serve an appointment the person booked: on unless they turn them off. Offers and the
# newsletter are marketing: off unless they turn them on.
MARKETING_TOPICS = (Topic.OFFERS, Topic.NEWSLETTER)


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    CLAIMED = "claimed", "Taken by a worker"
    SENDING = "sending", "Handed to the mail server"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Not sent: the person opted out"
    CANCELLED = "cancelled", "Not sent: no address to send to"
    IN_DOUBT = "in_doubt", "Interrupted while sending"
    WAITING = "waiting", "Held until the work it reports on is done"


FINAL_STATUSES = (Status.SENT, Status.FAILED, Status.SUPPRESSED, Status.CANCELLED)


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled"


class Campaign(models.Model):
    """A marketing message written by staff in English and Spanish, sent to one audience."""

    name = models.CharField(max_length=120)
    topic = models.CharField(
        max_length=16, choices=[(topic.value, topic.label) for topic in MARKETING_TOPICS]
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    subject_en = models.CharField(max_length=150)
    body_en = models.TextField()
    subject_es = models.CharField(max_length=150)
    body_es = models.TextField()
    audience_clinic = models.ForeignKey(
        "website.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    audience_interest = models.ForeignKey(
        "website.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Fan-out walks the audience in person order; the cursor makes a crashed fan-out resumable.
    audience_size = models.PositiveIntegerField(default=0)
    fanout_cursor = models.BigIntegerField(default=0)
    unsubscribed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "Staff-written campaign text and its audience filters; recipients are Message rows."
    )

    class Meta:
        # Capabilities (core/doors.py), granted through roles (staff/roles.py).
        permissions = [
            ("view_campaigns", "See campaigns and their audience counts"),
            ("edit_campaign", "Draft and edit campaigns"),
            ("send_campaign", "Schedule, send and cancel campaigns"),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Message(models.Model):
    """One message to one person on one channel. The address is read from the person at the
    moment of sending, so an erased person is never written to."""

    message_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # None only for a farewell: the confirmation of a deletion, written to an address captured
    # before the person was erased and sealed under the message's own key (`own_key_id`), which
    # is destroyed once the message is done, so the address is forgotten with it.
    person = models.ForeignKey(
        "vault.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    own_key_id = models.UUIDField(null=True, blank=True)
    address_sealed = SealedField(null=True, blank=True)
    address = sealed("address_sealed", codec=TEXT)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    topic = models.CharField(max_length=16, choices=Topic.choices, blank=True)
    template = models.CharField(max_length=100)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    # At most one message per cause ("campaign:3:person:17"), so a repeated action or a resumed
    # fan-out queues nothing twice.
    dedupe_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    subject_sealed = SealedField(null=True, blank=True)
    subject = sealed("subject_sealed", codec=TEXT)
    body_sealed = SealedField(null=True, blank=True)
    body = sealed("body_sealed", codec=TEXT)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="outbox",
        retention_clock="created_at",
        retention_only={"status__in": FINAL_STATUSES},
        on_erase=OnErase.ANONYMISE,
        sources=(DataSource.OUR_RECORDS,),
        description=(
            "Messages we send: which kind, about what, when, and whether it arrived. The words of "
            "an essential message are sealed until it is sent and then deleted; its subject stays, "
            "sealed."
        ),
        fields={
            "address_sealed": Personal(
                "user.contact.email",
                ("essential.service.notifications",),
                "Legal obligations",
                recipients=("email-delivery",),
            ),
            "subject_sealed": Personal(
                "user.content", ("essential.service.notifications",), "Contract"
            ),
            "body_sealed": Personal(
                "user.content",
                ("essential.service.notifications",),
                "Contract",
                recipients=("email-delivery",),
            ),
        },
        not_personal=(
            "id",
            "message_id",
            "own_key_id",
            "kind",
            "channel",
            "topic",
            "template",
            "language",
            "campaign",
            "dedupe_key",
            "status",
            "attempts",
            "next_attempt_at",
            "claim_token",
            "claimed_at",
            "sent_at",
            "last_error",
            "created_at",
        ),
    )

    class Meta:
        # Capabilities (core/doors.py), granted through roles (staff/roles.py).
        permissions = [
            ("view_outbox", "See the outbox"),
            ("release_message", "Decide a message whose hand-over was interrupted"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["campaign", "status"], name="outbox_campaign_status"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.template})"


class DeliveryAttempt(models.Model):
    """One hand-over of a message to the mail server or SMS provider, and how it ended."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="delivery_attempts")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, blank=True)
    smtp_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "Times and server reply codes; error texts are written by us and name no address."
    )

    def __str__(self) -> str:
        return f"attempt at {self.started_at:%Y-%m-%d %H:%M}"


class ContactPreferences(models.Model):
    """A person's standing choices: language, home clinic, interests, and the opaque id that
    their unsubscribe links carry instead of their address."""

    person = models.OneToOneField(
        "vault.Person", on_delete=models.PROTECT, related_name="contact_preferences"
    )
    link_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    home_clinic = models.ForeignKey(
        "website.Clinic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="preferences",
        on_erase=OnErase.DELETE,
        sources=(DataSource.YOU,),
        description="How and about what a person wants to hear from us.",
        fields={
            "language": Personal("user.account.settings", ("essential.service",), "Contract"),
            "home_clinic": Personal("user.account.settings", _MARKETING_USES, "Consent"),
        },
        not_personal=("id", "link_id", "updated_at"),
    )

    def __str__(self) -> str:
        return f"preferences of person {self.person_id}"


class PauseReason(models.TextChoices):
    POSSIBLE_MINOR = "possible_minor", "Checking whether the person is under 18"


class MarketingPause(models.Model):
    """No marketing at all reaches the person while a pause is open, whatever they chose: for
    someone who may be under 18, from the moment a form says so until staff decide."""

    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=PauseReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="preferences",
        on_erase=OnErase.DELETE,
        sources=(DataSource.OUR_RECORDS,),
        description="That we stopped all marketing to you while we checked something, and when.",
        fields={
            "reason": Personal(
                "user.demographic.age_range", ("essential.legal_obligation",), "Legal obligations"
            ),
        },
        not_personal=("id", "created_at", "lifted_at"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "reason"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_open_pause_per_reason",
            )
        ]

    def __str__(self) -> str:
        return f"marketing pause {self.pk} ({self.reason})"


class Interest(models.Model):
    """A treatment the person would like to hear about."""

    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("website.Service", on_delete=models.CASCADE, related_name="+")

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="preferences",
        on_erase=OnErase.DELETE,
        sources=(DataSource.YOU,),
        description="Treatments a person asked to hear about.",
        fields={"service": Personal("user.account.settings", _MARKETING_USES, "Consent")},
        not_personal=("id",),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "service"], name="one_interest_per_service")
        ]

    def __str__(self) -> str:
        return f"interest {self.pk}"


class Source(models.TextChoices):
    ACCOUNT = "account", "Account page"
    LINK = "link", "Link in an email"
    ONE_CLICK = "one_click", "One-click unsubscribe from a mail program"
    MAIL = "mail", "Email to the unsubscribe address"
    STAFF = "staff", "Entered by staff for a person who contacted us"
    SIGNUP = "signup", "Newsletter sign-up"
    PRIVACY_CHOICES = "privacy_choices", "Your Privacy Choices"
    BOUNCE = "bounce", "Address rejected by the mail server"
    SMS_REPLY = "sms_reply", "STOP replied to a text message"


class Subscription(models.Model):
    """One topic on one channel for one person: on or off, since when, and how they said so.

    A row exists only once the person has made a choice; the default for a missing row is the
    topic's default (marketing off, reminders on)."""

    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(max_length=16, choices=Topic.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    subscribed = models.BooleanField()
    source = models.CharField(max_length=16, choices=Source.choices)
    changed_at = models.DateTimeField()

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="preferences",
        on_erase=OnErase.DELETE,
        sources=(DataSource.YOU,),
        description=("Which messages a person agreed to, and when: proof of consent to marketing."),
        fields={
            "subscribed": Personal("user.privacy_preferences", _MARKETING_USES, "Consent"),
        },
        not_personal=("id", "topic", "channel", "source", "changed_at"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "topic", "channel"], name="one_choice_per_topic_and_channel"
            )
        ]
        indexes = [models.Index(fields=["topic", "channel", "subscribed", "person"])]

    def __str__(self) -> str:
        return f"{self.topic} by {self.channel}"


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed from all marketing"
    BOUNCED = "bounced", "The address does not accept mail"
    COMPLAINED = "complained", "Marked our mail as spam"
    MINOR = "minor", "Belonged to someone under 18: never to be collected again"


class Suppression(models.Model):
    """Addresses that must get no marketing (or none on one topic), kept as a keyed fingerprint so
    the opt-out outlives the person's erasure without keeping their address (docs/adr/0012). It
    lives in the keyring database, outside every data backup, so a restore cannot undo an opt-out.
    """

    fingerprint = models.CharField(max_length=64)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    topic = models.CharField(max_length=16, blank=True)  # empty: all marketing
    reason = models.CharField(max_length=16, choices=SuppressionReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject=None,
        retention="suppression",
        on_erase=OnErase.DELETE,
        sources=(DataSource.YOU, DataSource.OUR_RECORDS),
        description=(
            "Keyed fingerprints of addresses that asked for no marketing; the address cannot be "
            "read back from them."
        ),
        fields={
            "fingerprint": Personal(
                "user.unique_id.pseudonymous", ("essential.legal_obligation",), "Legal obligations"
            ),
        },
        not_personal=("id", "channel", "topic", "reason", "created_at"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint", "topic"], name="one_suppression_per_address_and_topic"
            )
        ]

    def __str__(self) -> str:
        return f"suppressed {self.channel} ({self.reason})"


class NoticeKind(models.TextChoices):
    ACCOUNT = "account", _("Your account")
    POLICY = "policy", _("Privacy policy")
    SECURITY = "security", _("Security")
    REQUEST = "request", _("Your privacy request")


class Notice(models.Model):
    """A message in the site's notification centre, with its read receipt."""

    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    title = models.CharField(max_length=150)
    body = models.TextField()
    link = models.CharField(max_length=200, blank=True)
    dedupe_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="notices",
        retention_clock="created_at",
        on_erase=OnErase.DELETE,
        sources=(DataSource.OUR_RECORDS,),
        description="Notices shown to a signed-in person, and when they read each one.",
        fields={
            "title": Personal("user.content", ("essential.service.notifications",), "Contract"),
            "body": Personal("user.content", ("essential.service.notifications",), "Contract"),
            "read_at": Personal(
                "user.behavior", ("essential.service.notifications",), "Legal obligations"
            ),
        },
        not_personal=("id", "kind", "link", "dedupe_key", "created_at"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "read_at"])]

    def __str__(self) -> str:
        return f"notice {self.pk}"
