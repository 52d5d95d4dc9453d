"""The policies as people read them: the version that governs the reader, every version with what
changed, and accepting a change early."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from goodskin.policies import actions, queries
from goodskin.policies.documents import diff, parse
from goodskin.policies.models import Document, PolicyVersion
from goodskin.policies.rendering import document_body, kept_document_body
from goodskin.vault.models import Person
from goodskin.website.shell import render_page

TITLES = {
    Document.PRIVACY: gettext_lazy("Privacy Policy"),
    Document.STATE_NOTICE: gettext_lazy("State Privacy Notice"),
    Document.TERMS: gettext_lazy("Terms of Service"),
}
PAGES = {
    Document.PRIVACY: "policies:privacy",
    Document.STATE_NOTICE: "policies:state_notice",
    Document.TERMS: "policies:terms",
}


def _reader(request: HttpRequest) -> Person | None:
    user = request.user
    return getattr(user, "person", None) if user.is_authenticated else None


def _language() -> str:
    return translation.get_language() or "en"


def document_page(request: HttpRequest, document: str) -> HttpResponse:
    """The version that governs the reader now, and a box about the one that will, if any."""
    person = _reader(request)
    now = timezone.now()
    state = queries.governing(person=person, at=now, document=document)
    version = state.version or next(iter(queries.published_versions(document)), None)
    if version is None:
        raise Http404
    upcoming = state.upcoming
    if upcoming is not None and person is not None and upcoming.material:
        actions.mark_seen(person=person, version=upcoming, now=now)
    body, body_key = kept_document_body(version, _language())
    return render_page(
        request,
        "policies/page.html",
        {
            "document": document,
            "title": TITLES[Document(document)],
            "version": version,
            "body": body,
            "upcoming": upcoming,
            "upcoming_summary": upcoming.summary.get(_language(), "") if upcoming else "",
        },
        version=f"{version.pk}:{body_key}",
    )


def versions(request: HttpRequest) -> HttpResponse:
    documents = [
        (TITLES[document], document, list(reversed(queries.published_versions(document))))
        for document in Document
    ]
    return render(request, "policies/versions.html", {"documents": documents})


def version(request: HttpRequest, document: str, number: int) -> HttpResponse:
    """One version's full text and, below it, exactly what changed from the one before."""
    if document not in Document.values:
        raise Http404
    published = queries.published_versions(document)
    by_number = {v.number: v for v in published}
    shown = by_number.get(number)
    if shown is None:
        raise Http404
    previous = by_number.get(number - 1)
    language = _language()
    changes = (
        diff(parse(previous.content), parse(shown.content), language=language) if previous else []
    )
    return render(
        request,
        "policies/version.html",
        {
            "document": document,
            "title": TITLES[Document(document)],
            "version": shown,
            "previous": previous,
            "changes": changes,
            "body": document_body(shown, language),
            "summary": shown.summary.get(language, ""),
        },
    )


@require_POST
@login_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    person = _reader(request)
    chosen = PolicyVersion.objects.filter(pk=pk).first()
    if person is None or chosen is None:
        raise Http404
    if actions.accept(person=person, version=chosen):
        messages.success(request, _("Thank you: the new version applies to you from now."))
    return redirect(PAGES[Document(chosen.document)])
