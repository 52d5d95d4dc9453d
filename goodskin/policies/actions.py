"""Drafting, publishing and announcing policy versions; notices seen and changes accepted.
Keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from goodskin.approvals.actions import ask, consume, waiting_for
from goodskin.approvals.models import Approval
from goodskin.audit.actions import AuditValue, record
from goodskin.audit.events import Event
from goodskin.communications.actions.notices import post_notice
from goodskin.communications.actions.outbox import copy_send_times, queue_essential_email
from goodskin.communications.models import NoticeKind
from goodskin.communications.tasks import run_later
from goodskin.policies import tasks
from goodskin.policies.documents import LANGUAGES, InvalidDocument, parse, same, to_content
from goodskin.policies.first_versions import FIRST_VERSIONS
from goodskin.policies.in_force import after_notice_period
from goodskin.policies.models import Document, PolicyNotice, PolicyVersion, VersionStatus
from goodskin.policies.queries import account_holders, latest_published
from goodskin.vault.models import Person

# A notice date a minute in the past is "now" typed slowly, not a backdated notice.
_CLOCK_SLACK = timedelta(minutes=1)


class PublishRefused(ValueError):
    """Nothing was published; `field` names what to fix."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _first_in_force() -> datetime:
    """The day the clinic's first rendering of its policies was posted."""
    day = datetime.fromisoformat(settings.PRIVACY_POLICY_VERSION)
    return timezone.make_aware(day, timezone.get_default_timezone())


def ensure_first_versions() -> int:
    """Publish version 1 of each document that has none (post_migrate). Returns how many."""

    made = 0
    for document, content in FIRST_VERSIONS.items():
        if PolicyVersion.objects.filter(document=document, number__isnull=False).exists():
            continue
        PolicyVersion.objects.create(
            document=document,
            number=1,
            status=VersionStatus.PUBLISHED,
            content=to_content(parse(content)),
            material=False,
            reason="The first version: our rendering of the clinic's policy.",
            published_at=_first_in_force(),
            announced_at=_first_in_force(),
        )
        made += 1
    return made


def _summary(summary: dict[str, str] | None) -> dict[str, str]:
    given = summary or {}
    return {language: " ".join(str(given.get(language, "")).split()) for language in LANGUAGES}


@transaction.atomic
def save_draft(
    *, document: str, content: Any, summary: dict[str, str] | None = None
) -> PolicyVersion:
    """Create or replace the document's one draft. Raises InvalidDocument, saving nothing."""
    if document not in Document.values:
        raise InvalidDocument("Choose the Privacy Policy, the State Privacy Notice or the Terms.")
    sections = parse(content)
    draft = (
        PolicyVersion.objects.select_for_update()
        .filter(document=document, status=VersionStatus.DRAFT)
        .first()
    ) or PolicyVersion(document=document)
    if draft.pk is not None and waiting_to_publish(draft) is not None:
        raise InvalidDocument(
            "A second officer is deciding whether to publish this draft: it cannot change "
            "until they approve or refuse."
        )
    draft.content = to_content(sections)
    draft.summary = _summary(summary)
    draft.save()
    record(Event.POLICY_DRAFT_SAVED, target=draft, data={"document": document})
    return draft


PUBLISH_MATERIAL = "policies.publish_version"  # a material change needs a second holder of it


def _checked(
    draft: PolicyVersion,
    *,
    material: bool | None,
    reason: str,
    announce_at: datetime,
    now: datetime,
) -> PolicyVersion | None:
    """Refuse what cannot be published (raising PublishRefused); return the version in force."""
    if draft.status != VersionStatus.DRAFT:
        raise PublishRefused("This version is already published.")
    try:
        sections = parse(draft.content)
    except InvalidDocument as error:
        raise PublishRefused(f"The draft is not complete: {error}") from None
    current = latest_published(draft.document)
    if current is not None and same(parse(current.content), sections):
        raise PublishRefused(
            f"Nothing has changed since version {current.number}: there is nothing to publish."
        )
    if material is None:
        raise PublishRefused("Say whether the change is material.", field="material")
    if not reason.strip():
        raise PublishRefused(
            "Give the reason the change is material."
            if material
            else "Give the reason the change is not material.",
            field="reason",
        )
    if material and not all(_summary(draft.summary).values()):
        raise PublishRefused(
            "Say what changed, in English and in Spanish: the notice and the email show it.",
            field="summary",
        )
    if announce_at < now - _CLOCK_SLACK:
        raise PublishRefused(
            "The notice date is in the past: notice can only be given from now on.",
            field="announce_at",
        )
    return current


@transaction.atomic
def ask_to_publish(
    *, draft: PolicyVersion, reason: str, by: Any, announce_at: datetime | None = None
) -> Approval:
    """A material change is published only when a second officer approves (approvals.ask):
    the draft keeps the asker's reason and notice date, and cannot change while it waits."""
    now = timezone.now()
    draft = PolicyVersion.objects.select_for_update().get(pk=draft.pk)
    _checked(draft, material=True, reason=reason, announce_at=announce_at or now, now=now)
    draft.material, draft.reason, draft.announced_at = True, reason.strip(), announce_at
    draft.save(update_fields=["material", "reason", "announced_at"])
    return ask(action=PUBLISH_MATERIAL, target=draft, by=by, reason=reason)


def waiting_to_publish(draft: PolicyVersion) -> Approval | None:
    return waiting_for(PUBLISH_MATERIAL, draft)


@transaction.atomic
def publish(
    *,
    draft: PolicyVersion,
    material: bool | None,
    reason: str,
    announce_at: datetime | None = None,
    now: datetime | None = None,
    approval: Approval | None = None,
) -> PolicyVersion:
    """Publish a draft as the document's next version. An immaterial change is in force on
    posting; a material one, only on a second officer's `approval`, starts a notice period at
    `announce_at` (default now), announced on the site and by email to every account holder."""
    now = now or timezone.now()
    draft = PolicyVersion.objects.select_for_update().get(pk=draft.pk)
    announce_at = announce_at or now
    current = _checked(draft, material=material, reason=reason, announce_at=announce_at, now=now)
    if material:
        if approval is None:
            raise PublishRefused(
                "A material change needs a second officer's approval: ask for it, and it is "
                "published when they approve.",
                field="material",
            )
        consume(approval=approval, action=PUBLISH_MATERIAL, target=draft)
    draft.number = (current.number or 0 if current else 0) + 1
    draft.status = VersionStatus.PUBLISHED
    draft.material = bool(material)
    draft.reason = reason.strip()
    draft.summary = _summary(draft.summary)
    draft.published_at = now
    draft.announced_at = announce_at if material else now
    draft.save()
    data: dict[str, AuditValue] = {
        "document": draft.document,
        "number": draft.number,
        "material": bool(material),
    }
    if approval is not None:
        data["approval"] = approval.pk
    record(Event.POLICY_PUBLISHED, target=draft, data=data)
    if material:
        transaction.on_commit(
            lambda: run_later(tasks.announce_version, at=announce_at, version_id=draft.pk)
        )
    return draft


def _account_holders(version: PolicyVersion) -> Any:
    assert version.announced_at is not None
    return account_holders(version.announced_at)


def announce_batch(*, version_id: int, batch_size: int = 500) -> bool:
    """Give the next `batch_size` account holders their notice: a notice row, an email in their
    language (essential mail, through the outbox) and a notice in their account. One short
    transaction; resumable after a crash (cursor, unique rows, dedupe keys). True when done."""

    with transaction.atomic():
        version = PolicyVersion.objects.select_for_update().get(pk=version_id)
        if not version.material or version.announced_at is None:
            return True
        holders = _account_holders(version)
        if version.announcement_cursor == 0 and version.notices_done == 0:
            version.notices_total = holders.count()
        batch = list(
            holders.filter(person_id__gt=version.announcement_cursor)
            .exclude(closed_at__isnull=False)  # closed since: nothing more is sent to them
            .values_list("person_id", "preferred_language")[:batch_size]
        )
        for person_id, language in batch:
            person = Person.objects.get(pk=person_id)
            notice, _ = PolicyNotice.objects.get_or_create(person=person, version=version)
            message = queue_essential_email(
                person=person,
                template="policies/email/material_change",
                language=language,
                context=_notice_context(version, language),
                dedupe_key=f"policy:{version.pk}:{person_id}",
            )
            if message is not None:
                notice.message = message
                notice.save(update_fields=["message"])
            post_notice(
                person=person,
                kind=NoticeKind.POLICY,
                title=_notice_title(version, language),
                body=version.summary.get(language, ""),
                link="/privacy/",
                dedupe_key=f"policy:{version.pk}:{person_id}",
            )
        finished = len(batch) < batch_size
        if batch:
            version.announcement_cursor = batch[-1][0]
            version.notices_done += len(batch)
            record(
                Event.POLICY_NOTICES_QUEUED,
                target=version,
                data={"notices": len(batch), "last_person": batch[-1][0]},
            )
        if finished:
            version.notices_total = version.notices_done
        version.save(update_fields=["announcement_cursor", "notices_done", "notices_total"])
    return finished


def resume_announcements(*, now: datetime) -> int:
    """The safety net for a worker that died mid-announcement: finish every material change whose
    notice period has begun and whose account holders have not all been told. Each batch is
    resumable and deduplicated, so running this beside a live worker sends nothing twice.
    Returns how many versions needed it."""
    unfinished = PolicyVersion.objects.filter(
        status=VersionStatus.PUBLISHED, material=True, announced_at__lte=now
    ).filter(
        models.Q(notices_done__lt=models.F("notices_total"))
        | models.Q(announcement_cursor=0, notices_done=0)
    )
    resumed = 0
    for version_id in unfinished.values_list("pk", flat=True):
        while not announce_batch(version_id=version_id):
            pass
        resumed += 1
    return resumed


def _effective_day(version: PolicyVersion) -> datetime:
    """When the change applies to someone told now (the email says "on or about")."""

    assert version.announced_at is not None
    return after_notice_period(max(version.announced_at, timezone.now()))


def _notice_context(version: PolicyVersion, language: str) -> dict[str, Any]:
    with translation.override(language):
        document = gettext(version.get_document_display())
    return {
        "version": version,
        "document": document,
        "summary": version.summary.get(language, ""),
        "takes_effect": _effective_day(version),
    }


def _notice_title(version: PolicyVersion, language: str) -> str:
    with translation.override(language):
        return gettext("Changes to our %(document)s") % {
            "document": gettext(version.get_document_display())
        }


def record_deliveries() -> int:
    """Copy the moment each notice email was handed to the mail server onto its notice, so the
    proof outlives the outbox's own retention. Returns how many were recorded."""

    return copy_send_times(PolicyNotice.objects.all(), into="emailed_at")


@transaction.atomic
def mark_seen(*, person: Person, version: PolicyVersion, now: datetime | None = None) -> None:
    """The upcoming-changes box was shown to the signed-in account holder: a first notice."""
    now = now or timezone.now()
    PolicyNotice.objects.get_or_create(person=person, version=version)
    first = PolicyNotice.objects.filter(
        person=person, version=version, seen_at__isnull=True
    ).update(seen_at=now)
    if first:
        record(
            Event.POLICY_NOTICE_SEEN,
            subject=person,
            target=version,
            data={"document": version.document, "number": version.number},
        )


@transaction.atomic
def accept(*, person: Person, version: PolicyVersion, now: datetime | None = None) -> bool:
    """The person accepts a published version before its notice period ends: it governs them
    from now. False if they had already accepted it."""
    now = now or timezone.now()
    if version.status != VersionStatus.PUBLISHED or not version.material:
        return False
    notice, _ = PolicyNotice.objects.get_or_create(person=person, version=version)
    if notice.accepted_at is not None:
        return False
    notice.accepted_at = now
    notice.save(update_fields=["accepted_at"])
    record(
        Event.POLICY_ACCEPTED,
        subject=person,
        target=version,
        data={"document": version.document, "number": version.number},
    )
    return True
