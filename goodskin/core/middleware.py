"""Per-request context and the response headers Django has no setting for."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from goodskin.core import context

API_PREFIX = "/api/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def refuses_body_type(request: HttpRequest) -> bool:
    """The API reads bodies only as JSON. Another site's page can post text/plain or a form to us
    from a visitor's browser without asking the browser first; it cannot post application/json
    without a CORS preflight we never grant, so insisting on JSON closes that door."""
    if request.method in SAFE_METHODS or not request.path.startswith(API_PREFIX):
        return False
    content_type = request.content_type or ""
    return content_type != "application/json" and not content_type.endswith("+json")


class RequestContextMiddleware:
    """Give every request an id (echoed as X-Request-Id) and the Permissions-Policy header, and
    turn away API writes whose body is not JSON (415)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy: str = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = context.new_request_id()
        if refuses_body_type(request):
            response: HttpResponse = JsonResponse(
                {"detail": "Send the body as JSON, with Content-Type: application/json."},
                status=415,
            )
        else:
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
