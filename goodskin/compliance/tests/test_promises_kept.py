"""Each check passes after the real journey its promise is about: a person opts out and then asks
for a password reset, a visitor's beacon arrives, a person is erased, a browser sends GPC, staff
log a disclosure and a de-identified export, the retention run removes what expired.

These are also the scenarios `make mutants` (scripts/mutants.py) runs against deliberately
broken copies of the code: each break must make its scenario fail, through the check, or the
check has not earned its place.
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from goodskin.accounts.actions import RegistrationRefused, register_account, request_password_reset
from goodskin.accounts.tests.conftest import make_account, make_staff
from goodskin.communications.actions.campaigns import queue_campaign_batch, schedule_campaign
from goodskin.communications.actions.choices import unsubscribe_from_marketing
from goodskin.communications.models import Message, Source
from goodskin.communications.tests.conftest import campaign, choose, deliver, opted_in, person
from goodskin.compliance.registry import CHECKS
from goodskin.core.smtp_sink import SmtpSink
from goodskin.disclosures.actions import export_deidentified, record_disclosure
from goodskin.disclosures.models import Recipient
from goodskin.disclosures.tests.test_deidentified_exports import consultations
from goodskin.policies.tests.conftest import publish_material
from goodskin.policies.tests.test_versions import draft
from goodskin.retention.actions import erase_unless_held, place_hold
from goodskin.rights.actions.fulfilment import fulfil_request
from goodskin.rights.actions.intake import open_request
from goodskin.rights.models import Channel
from goodskin.submissions.models import ContactMessage
from goodskin.vault.actions import erase_person, person_for_email
from goodskin.vault.models import ErasureReason

pytestmark = pytest.mark.django_db(databases=["default", "keyring"])
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def holds(check: str, *, at: object = None) -> dict[str, Any]:
    outcome = CHECKS[check].run(at or timezone.now())  # type: ignore[arg-type]
    assert outcome.passed, f"{check}: {outcome.evidence}"
    return dict(outcome.evidence)


@pytest.fixture
def queue_only(settings: object) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # type: ignore[attr-defined]


def test_after_an_opt_out_no_marketing_goes_but_the_password_reset_does(
    smtp_sink: SmtpSink, queue_only: None
) -> None:
    make_account(verified=True)
    make_account(email="lena@example.com", verified=True)
    rosa = opted_in(person("rosa@example.com"), "offers")
    lena = opted_in(person("lena@example.com"), "offers")
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    queue_campaign_batch(campaign_id=offer.pk)
    choose(rosa, offers_email=False)  # only her choice stands between her and the offer
    unsubscribe_from_marketing(person=lena, source=Source.ACCOUNT)  # her address is suppressed
    request_password_reset(email="rosa@example.com")
    request_password_reset(email="lena@example.com")

    deliver()
    # The checks first: a mutant must be caught by them, not by an assertion of this test.
    assert holds("no_marketing_without_a_choice_to_receive_it")["marketing_handed_over"] == 0
    assert holds("essential_mail_reaches_opted_out_people") == {
        "essential_withheld_as_opted_out": 0,
        "essential_sent_to_people_who_opted_out": 2,
    }
    assert Message.objects.filter(kind="essential", status="sent").count() == 2


def test_a_visitors_beacon_keeps_only_a_shortened_address(client: Client) -> None:
    answer = client.post(
        "/api/v1/collect",
        json.dumps({"events": [{"type": "page_view", "path": "/services/"}]}),
        content_type="application/json",
        headers={"User-Agent": CHROME},
        REMOTE_ADDR="203.0.113.77",
    )
    assert answer.status_code == 204
    assert holds("analytics_keep_no_full_address") == {"distinct_prefixes": 1, "full_addresses": 0}


def test_an_erased_person_has_no_key_and_a_journal_entry() -> None:
    rosa = make_account(email="rosa@example.com").person
    erase_person(person=rosa, reason=ErasureReason.DELETION_REQUEST)
    evidence = holds("erased_people_stay_erased")
    assert (evidence["erased_people"], evidence["journal_entries"]) == (1, 1)
    assert holds("audit_chain_is_intact")["entries"] > 0


def test_a_browser_that_sends_gpc_is_recorded_as_opted_out(client: Client) -> None:
    assert client.get("/", headers={"Sec-GPC": "1"}).status_code == 200
    evidence = holds("gpc_is_honoured")
    assert (evidence["browsers_with_gpc"], evidence["browsers_with_a_recorded_opt_out"]) == (1, 1)


def test_a_disclosure_and_a_deidentified_export_are_logged_with_their_k() -> None:
    officer = make_staff()
    rosa = make_account(email="rosa@example.com").person
    record_disclosure(
        kind="legal_process",
        recipient=Recipient.objects.get(slug="authorities"),
        reference="LASC 26STCV01234",
        categories=["user.name"],
        people=[rosa],
        approved_by=officer,
    )
    consultations({"hydrafacial": 12, "peel": 11})
    export_deidentified(
        dataset="consultation-requests",
        fields=["treatment", "language"],
        recipient=Recipient.objects.get(slug="consultants"),
        approved_by=officer,
    )
    assert holds("every_disclosure_is_logged")["disclosures"] == 2
    assert holds("deidentified_exports_meet_their_k") == {"exports": 1, "below_k": 0}


def test_the_retention_run_leaves_nothing_past_its_rule() -> None:
    with time_machine.travel(timezone.now() - timedelta(days=4 * 365)):
        ContactMessage.objects.create(
            person=person_for_email(email="old@example.com"),
            full_name="Old Question",
            email="old@example.com",
            topic="question",
            language="en",
        )
    call_command("apply_retention", stdout=io.StringIO())
    assert holds("nothing_is_kept_past_its_retention")["rules_overdue"] == 0


def test_an_expired_row_left_in_place_fails_the_retention_check() -> None:
    with time_machine.travel(timezone.now() - timedelta(days=4 * 365)):
        ContactMessage.objects.create(
            person=person_for_email(email="old@example.com"), full_name="Old Question",
            email="old@example.com", topic="question", language="en",
        )  # fmt: skip
    outcome = CHECKS["nothing_is_kept_past_its_retention"].run(timezone.now())
    assert outcome.passed is False
    assert outcome.evidence["rules_overdue"] == 1


def test_a_person_under_a_legal_hold_who_asks_to_be_erased_waits_for_its_release() -> None:
    rosa = make_account(email="rosa@example.com").person
    today = timezone.localdate()
    place_hold(
        reason="dispute", case_reference="GS-2026-014", review_on=today + timedelta(days=90),
        people=[rosa], today=today,
    )  # fmt: skip
    erase_unless_held(person=rosa, reason=ErasureReason.DELETION_REQUEST)
    assert holds("legal_holds_keep_what_they_hold") == {
        "active_holds": 1,
        "people_held": 1,
        "erasures_waiting_for_a_release": 1,
        "holds_whose_people_were_erased": 0,
    }


def test_a_request_answered_today_is_due_no_later_than_its_state_allows() -> None:
    rosa = make_account(email="rosa@example.com").person
    opened = open_request(
        kind="access", email="rosa@example.com", state="CA", today=timezone.localdate(),
        channel=Channel.ACCOUNT, signed_in_person=rosa,
    )  # fmt: skip
    fulfil_request(request=opened.request, today=timezone.localdate())
    evidence = holds("privacy_requests_are_answered_in_time")
    assert evidence["requests"] == evidence["closed"] == 1
    assert evidence["due_later_than_the_law_allows"] == 0


def test_a_sixteen_year_old_cannot_open_an_account_and_an_adult_can() -> None:
    today = timezone.localdate()
    for years, email in ((16, "teen@example.com"), (30, "adult@example.com")):
        # The age gate refuses the minor; the check below is what must notice if it gives way.
        with contextlib.suppress(RegistrationRefused):
            register_account(
                full_name="Someone", email=email, password="Lavender-Harbour-42",
                date_of_birth=date(today.year - years, today.month, min(today.day, 28)),
                language="en", today=today,
            )  # fmt: skip
    assert holds("account_holders_were_adults_when_they_registered") == {
        "accounts": 1,
        "without_a_birth_date_to_open": 0,
        "under_18_when_registered": 0,
    }


def test_every_account_holder_is_told_of_a_material_change(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    make_account(verified=True)
    make_account(email="lena@example.com", verified=False)  # told too: an account is an account
    with django_capture_on_commit_callbacks(execute=True):
        publish_material(draft(), "A new retention period")
    assert holds(
        "material_changes_reach_every_account_holder", at=timezone.now() + timedelta(days=2)
    ) == {
        "material_versions": 1,
        "with_people_not_told": 0,
    }


def test_a_browser_that_sends_do_not_track_is_not_opted_out_for_it(client: Client) -> None:
    assert client.get("/", headers={"DNT": "1"}).status_code == 200
    assert holds("dnt_is_recorded_and_not_acted_on") == {
        "records_with_dnt": 0,
        "choices_made_because_of_dnt": 0,
    }


def test_the_public_list_names_every_kind_of_information_the_data_map_declares() -> None:
    evidence = holds("public_lists_match_the_data_map")
    assert evidence["categories_listed"] == evidence["categories_declared"] > 0
