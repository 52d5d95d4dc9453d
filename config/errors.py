"""Error pages: HTML for people, JSON for the API, so a script reading /api/v1/ never has to parse a
web page to learn what went wrong. Nothing here repeats what was sent or names a person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.csrf import csrf_failure as html_csrf_failure

from goodskin.core.console import console_page
from goodskin.core.doors import RoleLacks
from goodskin.staff.queries import role_names

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "The request could not be read."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "You may not do that."}, status=403)
    if isinstance(exception, RoleLacks):
        # A staff member in the console: the console's frame, what the role lacks, what it holds.
        roles = role_names(request.user)
        return console_page(
            request,
            "staff/forbidden.html",
            "Not in your role",
            status=403,
            message=str(exception),
            roles=roles,
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": "No such endpoint: the list is at /api/v1/docs."}, status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": "Something went wrong on our side. Please try again in a few minutes."},
            status=500,
        )
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": "Send this from the site's own pages, or without a session cookie."},
            status=403,
        )
    return html_csrf_failure(request, reason=reason, template_name="403_csrf.html")
