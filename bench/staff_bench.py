"""Staff-access benchmark (issue 16): what the capability check and the access record cost.

door_and_access_record_vs_is_staff_only: one privacy request's console page through the whole
middleware stack, as shipped (the door checks the role's capability, the page writes its
person.viewed audit entry) against the same view behind Django's plain staff check with the
access record left out — the page as it was before roles. Same data, same run, interleaved.
The officer reloads one request, so their capabilities come from the cache (accounts.backends)
and the hourly alert's count is skipped for a person already read this hour; the audit entry is
written on every request.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from types import ModuleType
from unittest import mock

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import include, path
from django.utils import timezone

from bench.common import bench_email
from config import urls as site_urls
from goodskin.accounts.models import User
from goodskin.accounts.tests.signing_in import StaffClient
from goodskin.rights import console
from goodskin.rights import console_urls as rights_console_urls
from goodskin.rights.actions.intake import open_request
from goodskin.rights.models import Channel

ROUNDS = 9
REQUESTS = 10


def _is_staff_only_urls() -> ModuleType:
    """The site's URLs with one change: the request page has only "is staff" at its door."""
    bare = staff_member_required(console.detail.__wrapped__.__wrapped__)  # type: ignore[attr-defined]
    rights_pages = [
        path(str(entry.pattern), bare, name="request") if entry.name == "request" else entry
        for entry in rights_console_urls.urlpatterns
    ]
    swapped = [
        path("", include((rights_pages, "rights")))
        if getattr(entry, "namespace", None) == "rights"
        else entry
        for entry in site_urls.CONSOLE
    ]
    urls = ModuleType("bench_is_staff_only_urls")
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path("console/", include((swapped, "console")))
        if getattr(entry, "namespace", "") == "console"
        else entry
        for entry in site_urls.urlpatterns
    ]
    return urls


def run(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    request = open_request(
        kind="access",
        email="bench.reads@example.com",
        state="CA",
        today=timezone.localdate(),
        channel=Channel.WEB,
    ).request
    officer = User.objects.create_user(
        bench_email("reads"), "Bench-Reads-Pass-9", full_name="B", is_staff=True
    )
    officer.groups.add(Group.objects.get(name="Privacy officer"))
    client = StaffClient()
    client.force_login(officer)
    url = f"/console/requests/{request.reference}/"
    bare_urls = _is_staff_only_urls()

    def ours() -> None:
        assert client.get(url).status_code == 200

    def baseline() -> None:
        assert client.get(url).status_code == 200

    timed: dict[str, list[float]] = {"ours": [], "baseline": []}

    def measure(name: str, work: Callable[[], None]) -> None:
        started = time.perf_counter()
        for _ in range(REQUESTS):
            work()
        timed[name].append((time.perf_counter() - started) / REQUESTS)

    for _ in range(ROUNDS):  # interleaved; the URL swap happens outside the timed requests
        ours()  # warm after the swap back (changing ROOT_URLCONF empties the URL caches)
        measure("ours", ours)
        with (
            override_settings(ROOT_URLCONF=bare_urls),
            mock.patch.object(console, "record_staff_read", return_value=None),
        ):
            baseline()  # warm after the swap
            measure("baseline", baseline)
    mine, theirs = statistics.median(timed["ours"]), statistics.median(timed["baseline"])
    report(
        f"door_and_access_record_vs_is_staff_only: {mine / theirs:.2f}x ({mine * 1000:.1f} ms vs "
        f"{theirs * 1000:.1f} ms for one request's console page: capability check and the "
        "person.viewed audit entry against the plain staff check without it)"
    )
