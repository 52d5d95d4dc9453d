"""The substitute notice of a breach, public while it is posted."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from goodskin.incidents.models import Incident
from goodskin.incidents.queries import notice_words


def breach_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone may read it while it is posted; before and after, there is nothing here."""
    now = timezone.now()
    incident = Incident.objects.filter(pk=pk, posted_at__lte=now, posted_until__gt=now).first()
    if incident is None:
        raise Http404
    return render(request, "incidents/public/notice.html", notice_words(incident))
