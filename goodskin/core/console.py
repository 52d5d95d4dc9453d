"""One way to render a staff console page: the admin's frame, a title, and a status code."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def console_page(
    request: HttpRequest, template: str, title: str, *, status: int = 200, **extra: object
) -> HttpResponse:
    context = {**admin.site.each_context(request), "title": title, **extra}
    return render(request, template, context, status=status)
