"""Compliance benchmark (issue 19): the whole verification of the policy over everything the
suites before it wrote into the bench database (people, requests, outbox, audit entries,
analytics events), as the nightly job runs it — time and peak memory — against walking the audit
chain alone (`audit_verify`, one of its checks, the one that reads every audit entry) on the same
data in the same run. The nightly run must finish within 10 minutes on this machine; the checks
stream, so peak memory must not grow with the data. The browser crawl is timed on its own line:
it reads pages, not rows, so its cost does not grow with the database.
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from goodskin.accounts.models import User
from goodskin.audit.models import AuditEntry
from goodskin.audit.verify import verify_chain
from goodskin.compliance.crawler import PAGES, STATES
from goodskin.compliance.registry import CHECKS
from goodskin.tracking.models import PageEvent

NIGHTLY_LIMIT_SECONDS = 600


def run(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    people = User.objects.count()
    entries = AuditEntry.objects.count()
    events = PageEvent.objects.count()
    progress(f"verifying the policy over {people} accounts, {entries} audit entries")
    started = time.perf_counter()
    verify_chain()
    chain = time.perf_counter() - started

    # Each check as the nightly run calls it, without storing results or alerting anyone: the
    # bench's own data breaks promises on purpose (old rows, opted-out people) and must not mail.
    now = timezone.now()
    took: dict[str, float] = {}
    failed = 0
    tracemalloc.start()
    started = time.perf_counter()
    for name, check in CHECKS.items():
        if check.slow:
            continue
        progress(name)
        clock = time.perf_counter()
        failed += 0 if check.run(now).passed else 1
        took[name] = time.perf_counter() - clock
    whole = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    slowest = max(took, key=took.__getitem__)
    report(
        f"policy_verification_vs_audit_chain_walk: {whole / chain:.2f}x ({whole:.1f} s for "
        f"{len(took)} checks vs {chain:.1f} s for the chain alone, over {people:,} accounts, "
        f"{entries:,} audit entries, {events:,} analytics events; peak Python memory "
        f"{peak / 2**20:.0f} MB, process max RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; slowest "
        f"{slowest} {took[slowest]:.1f} s; {failed} found the bench's own broken promises; "
        f"{'within' if whole < NIGHTLY_LIMIT_SECONDS else 'OVER'} the nightly 10 minutes)"
    )
    crawl = next(check for check in CHECKS.values() if check.slow)
    started = time.perf_counter()
    outcome = crawl.run(timezone.now())
    seconds = time.perf_counter() - started
    client = Client()
    started = time.perf_counter()
    for _ in STATES:
        for path in PAGES:
            client.get(path)
    plain = time.perf_counter() - started
    seen = outcome.evidence
    report(
        f"policy_browser_crawl_vs_plain_page_fetches: {seconds / plain:.1f}x ({seconds:.0f} s for "
        f"{seen.get('pages_opened')} page loads in Chromium in {seen.get('consent_states')} "
        f"consent states, {seen.get('requests')} requests, vs {plain:.1f} s fetching the same "
        f"pages in process; a fixed cost, not per row; {'passed' if outcome.passed else 'FAILED'})"
    )
