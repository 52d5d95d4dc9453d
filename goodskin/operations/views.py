"""/healthz, /readyz and /metrics: for load balancers, orchestrators and Prometheus."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from goodskin.core.doors import public_door
from goodskin.operations.health import metrics, readiness


@public_door
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and answering; nothing else is looked at."""
    return HttpResponse("ok\n", content_type="text/plain")


@public_door
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready for traffic: both databases reachable and migrated, a task worker ticking, the outbox
    moving. 503, naming what is wrong, otherwise."""
    checks = readiness(timezone.now())
    ready = all(check.ok for check in checks)
    body: dict[str, object] = {"ready": ready, "checks": {c.name: c.detail for c in checks}}
    failing = [check.name for check in checks if not check.ok]
    if failing:
        body["failing"] = failing
    return HttpResponse(
        json.dumps(body, indent=2) + "\n",
        status=200 if ready else 503,
        content_type="application/json",
    )


@public_door  # the token below is its door: Prometheus is not a member of staff
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse(
            "Send the METRICS_TOKEN as 'Authorization: Bearer <token>'"
            + ("" if token else " (none is set: set METRICS_TOKEN in the environment)")
            + ".\n",
            status=401,
            content_type="text/plain",
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics(timezone.now()), content_type="text/plain; version=0.0.4")
