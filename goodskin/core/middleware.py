"""Per-request context and the response headers Django has no setting for."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

from goodskin.core import context


class RequestContextMiddleware:
    """Give every request an id (echoed as X-Request-Id) and the Permissions-Policy header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy: str = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = context.new_request_id()
        with context.acting_as(context.ANONYMOUS, request_id=request_id):
            response = self.get_response(request)
        response["X-Request-Id"] = request_id
        response.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class ActorContextMiddleware:
    """After authentication: make the signed-in user the actor of everything this request does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with context.acting_as(context.Actor.user(user.pk)):
            return self.get_response(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """The site speaks the visitor's language; the staff console is written in English only, so
    it is served in English (with `lang="en"`) whatever the language switch says, rather than
    half translated by Django's own admin strings."""

    ENGLISH_ONLY = ("/console/", "/admin/")

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(self.ENGLISH_ONLY):
            translation.activate("en")
            request.LANGUAGE_CODE = "en"
            return
        super().process_request(request)
