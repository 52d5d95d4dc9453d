"""The privacy officer's policy pages: versions and drafts, the draft editor, publishing with a
diff against the version in force, pending notices with acceptance rates, and who was governed by
which version when."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from goodskin.approvals.actions import ApprovalRefused, decide
from goodskin.approvals.models import Approval
from goodskin.core.console import console_page, local_moment
from goodskin.core.doors import staff_door
from goodskin.core.validation import whole_number
from goodskin.policies import actions, queries
from goodskin.policies.documents import InvalidDocument, diff, parse
from goodskin.policies.editing import content_from_form
from goodskin.policies.models import Document, PolicyVersion, VersionStatus
from goodskin.vault.models import Person


def _draft(pk: int) -> PolicyVersion:
    version = PolicyVersion.objects.filter(pk=pk, status=VersionStatus.DRAFT).first()
    if version is None:
        raise Http404
    return version


@staff_door("policies.view_versions")
def overview(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    documents = []
    for document in Document:
        published = queries.published_versions(document)
        documents.append(
            {
                "document": document,
                "label": document.label,
                "latest": published[-1] if published else None,
                "count": len(published),
                "draft": PolicyVersion.objects.filter(
                    document=document, status=VersionStatus.DRAFT
                ).first(),
            }
        )
    lookup: dict[str, Any] = {}
    if request.GET.get("person"):
        lookup = _lookup(request.GET.get("person", ""), request.GET.get("at", ""))
    return console_page(
        request,
        "policies/console/overview.html",
        "Policies",
        documents=documents,
        notices=queries.notice_progress(now=now),
        lookup=lookup,
        now=now,
    )


def _lookup(person: str, at: str) -> dict[str, Any]:
    moment = local_moment(at) if at else timezone.now()
    if moment is None:
        return {"error": "Give the moment as a date and time."}
    number = whole_number(person)
    subject = Person.objects.filter(pk=number).first() if number is not None else None
    if subject is None:
        return {"error": "No person with that number."}
    return {
        "person": subject.pk,
        "at": moment,
        "answers": [
            (document.label, queries.governing(person=subject, at=moment, document=document))
            for document in Document
        ],
    }


@staff_door("policies.view_versions", act="policies.draft_version")
def new_draft(request: HttpRequest, document: str) -> HttpResponse:
    if request.method != "POST" or document not in Document.values:
        raise Http404
    existing = PolicyVersion.objects.filter(document=document, status=VersionStatus.DRAFT).first()
    if existing is None:
        latest = queries.latest_published(document)
        existing = actions.save_draft(document=document, content=latest.content if latest else [])
    return redirect("console:policies:edit", pk=existing.pk)


@staff_door("policies.view_versions", act="policies.draft_version")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    error: InvalidDocument | None = None
    content: list[dict[str, Any]] = draft.content
    summary = draft.summary
    if request.method == "POST":
        content = content_from_form(request.POST, draft.content)
        summary = {
            "en": request.POST.get("summary-en", ""),
            "es": request.POST.get("summary-es", ""),
        }
        try:
            actions.save_draft(document=draft.document, content=content, summary=summary)
        except InvalidDocument as refused:
            error = refused
        else:
            messages.success(request, "Draft saved.")
            if request.POST.get("next") == "publish":
                return redirect("console:policies:publish", pk=draft.pk)
            return redirect("console:policies:edit", pk=draft.pk)
    return console_page(
        request,
        "policies/console/edit.html",
        f"Draft of the {draft.get_document_display()}",
        status=400 if error else 200,
        draft=draft,
        content=content,
        summary=summary,
        error=error,
    )


def _decide(request: HttpRequest, draft: PolicyVersion, waiting: Approval) -> HttpResponse | None:
    """A second officer approves (and the version is published, in their name) or refuses."""
    approve = request.POST.get("step") == "approve"
    try:
        with transaction.atomic():
            decided = decide(approval=waiting, by=request.user, approve=approve)
            if not approve:
                messages.info(request, "Refused: the draft can be edited again.")
                return redirect("console:policies:overview")
            planned = draft.announced_at
            published = actions.publish(
                draft=draft,
                material=True,
                reason=draft.reason,
                announce_at=planned if planned and planned > timezone.now() else None,
                approval=decided,
            )
    except (ApprovalRefused, actions.PublishRefused) as refused:
        messages.error(request, str(refused))
        return None
    messages.success(request, f"Version {published.number} published: notices are going out.")
    return redirect("console:policies:overview")


@staff_door("policies.view_versions", act="policies.publish_version", fresh=True)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    current = queries.latest_published(draft.document)
    waiting = actions.waiting_to_publish(draft)
    try:
        changes = (
            diff(parse(current.content), parse(draft.content), language="en") if current else []
        )
    except InvalidDocument:
        changes = []
    error: actions.PublishRefused | None = None
    summary = {language: draft.summary.get(language, "") for language in ("en", "es")}
    if request.method == "POST" and waiting is not None:
        decided = _decide(request, draft, waiting)
        if decided is not None:
            return decided
        waiting = actions.waiting_to_publish(draft)
    elif request.method == "POST":
        material = {"yes": True, "no": False}.get(request.POST.get("material", ""))
        announce_at = local_moment(request.POST.get("announce_at", ""))
        if request.POST.get("announce_at") and announce_at is None:
            error = actions.PublishRefused(
                "Give the notice date as a date and time.", field="announce_at"
            )
        given = {
            language: request.POST.get(f"summary-{language}", summary[language]).strip()
            for language in summary
        }
        if error is None and given != summary:
            # "What changed" sits on this page too: the officer says it where they publish.
            try:
                draft = actions.save_draft(
                    document=draft.document, content=draft.content, summary=given
                )
            except InvalidDocument as invalid:
                error = actions.PublishRefused(f"The draft is not complete: {invalid}")
        summary = given
        reason = request.POST.get("reason", "")
        if error is None and material:
            try:
                actions.ask_to_publish(
                    draft=draft, reason=reason, by=request.user, announce_at=announce_at
                )
            except (actions.PublishRefused, ApprovalRefused) as refused:
                error = (
                    refused
                    if isinstance(refused, actions.PublishRefused)
                    else actions.PublishRefused(str(refused))
                )
            else:
                messages.success(
                    request,
                    "A material change is published when a second officer approves it: "
                    "they see it waiting on this page.",
                )
                return redirect("console:policies:overview")
        elif error is None:
            try:
                published = actions.publish(
                    draft=draft, material=material, reason=reason, announce_at=announce_at
                )
            except actions.PublishRefused as refused:
                error = refused
            else:
                messages.success(request, f"Version {published.number} published, in force now.")
                return redirect("console:policies:overview")
    return console_page(
        request,
        "policies/console/publish.html",
        f"Publish the {draft.get_document_display()}",
        status=400 if error else 200,
        draft=draft,
        current=current,
        changes=changes,
        error=error,
        summary=summary,
        posted=request.POST,
        now=timezone.localtime(),
        waiting=waiting,
        asked_by_me=waiting is not None and waiting.asked_by == request.user.pk,
    )
