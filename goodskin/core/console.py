"""One way to render a staff console page: the admin's frame, a title, and a status code."""

from __future__ import annotations

from datetime import datetime

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def console_page(
    request: HttpRequest, template: str, title: str, *, status: int = 200, **extra: object
) -> HttpResponse:
    context = {**admin.site.each_context(request), "title": title, **extra}
    return render(request, template, context, status=status)


def local_moment(value: str) -> datetime | None:
    """A console form's date and time (a `datetime-local` field: the clinic's clock, no zone), or
    None when empty or not a date and time."""
    if not value:
        return None
    try:
        return timezone.make_aware(datetime.fromisoformat(value))
    except ValueError:
        return None
