"""Two web processes and two task workers on one database (PostgreSQL in CI's PostgreSQL pass):
a 2 000-recipient campaign goes out while a policy change is announced to 300 account holders, a
purge runs and visitors send contact forms. Every message is delivered exactly once, the purge
removes every expired row, no request fails, and the audit chain holds with no entry lost or
doubled."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.processes.site import Site, running_site
from tests.processes.test_faults import (
    CONSENT_RECORDS,
    HOLDERS_AND_A_MATERIAL_CHANGE,
    PEOPLE_FOR_A_CAMPAIGN,
)
from tests.processes.test_races import Visitor

pytestmark = pytest.mark.processes
RECIPIENTS, HOLDERS, EXPIRED, VISITORS = 2000, 300, 2000, 60
MARKETING_SENT = """
import json
from goodskin.audit.models import AuditEntry
batches = AuditEntry.objects.filter(event="message.marketing_batch")
print(json.dumps(sum(entry.data["sent"] for entry in batches)))
"""


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    # The test is the visitors' proxy: each contact form comes from its own address. Every
    # address is at example.com, so the per-domain pace a real mail provider needs is lifted.
    with running_site(
        tmp_path, TRUSTED_PROXIES="127.0.0.1", OUTBOX_DOMAIN_LIMIT_PER_MINUTE="1000000"
    ) as running:
        yield running


def count(site: Site, sql: str) -> int:
    value = site.query(sql)[0][0]
    assert isinstance(value, int), value
    return value


def contact(address: str, number: int) -> int:
    visitor = Visitor(address)
    visitor.get("/contact/")
    return int(
        visitor.post(
            "/contact/",
            {
                "full_name": f"Visitor {number}",
                "email": f"visitor{number}@example.com",
                "phone": "",
                "topic": "question",
                "message": "Do you treat melasma?",
                "website": "",
            },
            forwarded_for=f"198.51.100.{number + 1}",
        )
    )


def test_two_web_and_two_task_workers_on_one_database_do_nothing_twice(site: Site) -> None:
    site.python(PEOPLE_FOR_A_CAMPAIGN.format(count=RECIPIENTS))  # scheduled for now
    site.python(HOLDERS_AND_A_MATERIAL_CHANGE.format(count=HOLDERS))  # announced from now
    site.python(CONSENT_RECORDS.format(old=EXPIRED, new=100))
    address = site.serve(workers=2)
    for _ in range(2):
        site.start("work", "--interval", "0.2")
    purge = site.start("apply_retention", "--rule", "consent", "--batch-size", "100")

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = Counter(pool.map(lambda n: contact(address, n), range(VISITORS)))
    assert purge.wait(timeout=300) == 0

    expected = RECIPIENTS + HOLDERS + VISITORS  # the campaign, the notices, each form's receipt
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        waiting = count(site, "SELECT COUNT(*) FROM communications_message WHERE status <> 'sent'")
        if waiting == 0 and count(site, "SELECT COUNT(*) FROM communications_message") >= expected:
            break
        time.sleep(1)

    assert answers == Counter({302: VISITORS}), "every contact form was accepted, none failed"
    assert count(site, "SELECT COUNT(*) FROM submissions_contactmessage") == VISITORS
    got = Counter(str(message["To"]) for message in site.sink.messages)
    assert len(got) == expected
    assert max(got.values()) == 1, "someone got a message twice"
    assert {f"guest{n}@example.com" for n in range(RECIPIENTS)} <= set(got)
    assert {f"holder{n}@example.com" for n in range(HOLDERS)} <= set(got)
    assert {f"visitor{n}@example.com" for n in range(VISITORS)} <= set(got)
    assert count(site, "SELECT COUNT(*) FROM consent_consentrecord") == 100
    entries = count(site, "SELECT COUNT(*) FROM audit_auditentry")
    assert count(site, "SELECT MAX(sequence) FROM audit_auditentry") == entries  # none lost
    assert count(site, "SELECT COUNT(DISTINCT sequence) FROM audit_auditentry") == entries
    # Essential mail is audited one entry a message, marketing one entry a delivered batch.
    essential = count(site, "SELECT COUNT(*) FROM audit_auditentry WHERE event = 'email.sent'")
    assert essential == HOLDERS + VISITORS
    assert site.python(MARKETING_SENT) == RECIPIENTS
    assert site.audit_chain_holds()
