"""`make bench` on PostgreSQL, at the reduced size CI can afford: every suite runs against the
databases DATABASE_URL names, and the site can go on using them afterwards — new people get free
ids, the audit chain still verifies and the next entry follows on, the person keys open with the
site's own master key, and nothing the suites queued is left to be mailed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes.site import ROOT, Site, postgres_server, running_site

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(
        postgres_server() is None, reason="the PostgreSQL bench runs in CI's PostgreSQL pass"
    ),
]

EVERY_SUITE = {
    "middleware_stack_vs_bare_view",
    "privacy_page_vs_home_page",
    "vault_export_vs_raw_sql",
    "erase_at_100k_vs_at_100",
    "erase_vs_raw_sql",
    "access_report_vs_raw_reads",
    "access_request_end_to_end_vs_raw_sql",
    "request_queue_vs_raw_query",
    "collect_vs_empty_endpoint",
    "dashboard_vs_raw_sql",
    "outbox_vs_raw_smtplib",
    "campaign_fanout_vs_raw_insert",
    "purge_vs_raw_batched_delete",
    "deidentified_export_vs_raw_group_by",
    "version_in_force_for_everyone_vs_one_join",
    "affected_people_vs_raw_sql",
    "door_and_access_record_vs_is_staff_only",
    "campaign_two_workers_vs_one",
    "scanner_vs_regex_floor",
    "scanner_linear",
    "policy_verification_vs_audit_chain_walk",
    "policy_browser_crawl_vs_plain_page_fetches",
}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with running_site(tmp_path) as running:
        yield running


def test_the_bench_runs_on_postgresql_and_leaves_databases_the_site_keeps_using(
    site: Site,
) -> None:
    bench = subprocess.run(  # noqa: S603  (our own bench)
        [sys.executable, "bench/run.py"],
        cwd=ROOT,
        env=site.environment | {"BENCH_SIZE": "ci"},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert bench.returncode == 0, bench.stderr[-3000:]
    lines = bench.stdout.splitlines()
    assert lines[0] == "bench: postgresql, sizes ci"
    measured = {line.split(":", 1)[0] for line in lines[1:]}
    assert measured >= EVERY_SUITE
    assert all("x (" in line for line in lines[1:])  # each a ratio with its figures

    (highest,) = site.query("SELECT MAX(id) FROM vault_person")[0]
    # The site's own way of adding a person: a fresh id past the bench's explicit ones.
    created = site.python(
        "import json\n"
        "from goodskin.vault.actions import person_for_email\n"
        "print(json.dumps(person_for_email(email='after.bench@example.com').pk))"
    )
    assert isinstance(created, int)
    assert isinstance(highest, int)
    assert created > highest
    # The chain still verifies with the person.created entry the site just added after the bench's.
    assert site.audit_chain_holds()
    # The person keys the bench wrote are wrapped by the site's master key (vault.E010 is quiet).
    assert site.manage("check").returncode == 0
    waiting = site.query(
        "SELECT COUNT(*) FROM communications_message WHERE status IN ('queued', 'claimed')"
    )
    assert waiting == [(0,)]
    still_subscribed = site.query(
        "SELECT COUNT(*) FROM communications_subscription s JOIN vault_person p "
        "ON p.id = s.person_id WHERE s.subscribed "
        "AND p.email ~ '@(outbox|check|fanout)\\.[0-9A-F]{3}\\.example$'"
    )
    assert still_subscribed == [(0,)]
