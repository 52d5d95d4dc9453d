"""Releasing a legal hold takes two people: one asks with a reason, a different one holding the
same capability approves, and the approval releases that hold once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from goodskin.accounts.tests.conftest import approved_by_a_second_person, make_staff
from goodskin.accounts.tests.signing_in import StaffClient
from goodskin.approvals.actions import ApprovalRefused, ask, decide
from goodskin.approvals.models import Approval, Outcome
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.tests.conftest import person
from goodskin.retention.actions import RELEASE, HoldRefused, place_hold, release_hold
from goodskin.retention.models import LegalHold

pytestmark = pytest.mark.django_db


def _hold(reference: str = "CV-1") -> LegalHold:
    today = timezone.localdate()
    return place_hold(
        reason="litigation",
        case_reference=reference,
        review_on=today + timedelta(days=30),
        people=[person(f"{reference.lower()}@example.com")],
        today=today,
    )


def test_the_person_who_asked_cannot_approve_and_nothing_changes(unchanged: Any) -> None:
    hold = _hold()
    asker = make_staff()
    approval = ask(action=RELEASE, target=hold, by=asker, reason="The case settled")
    with (
        unchanged(),
        pytest.raises(ApprovalRefused, match="You asked for this: a different member of staff"),
    ):
        decide(approval=approval, by=asker, approve=True)


def test_a_role_without_the_capability_cannot_approve() -> None:
    hold = _hold()
    approval = ask(action=RELEASE, target=hold, by=make_staff(), reason="The case settled")
    auditor = make_staff("Auditor", email="auditor@goodskinclinics.com")
    with pytest.raises(ApprovalRefused, match="Your role does not include this action"):
        decide(approval=approval, by=auditor, approve=True)
    assert Approval.objects.get().outcome == Outcome.WAITING


def test_an_approval_releases_its_own_hold_once_and_no_other() -> None:
    first, second = _hold("CV-1"), _hold("CV-2")
    approval = approved_by_a_second_person(RELEASE, first)
    with pytest.raises(ApprovalRefused, match="That approval is for something else"):
        release_hold(hold=second, approval=approval)
    release_hold(hold=first, approval=approval)
    assert LegalHold.objects.get(pk=first.pk).released_at is not None
    assert LegalHold.objects.get(pk=second.pk).released_at is None
    with pytest.raises(HoldRefused, match="already released"):
        release_hold(hold=first, approval=approval)
    assert Approval.objects.get().outcome == Outcome.DONE


def test_without_an_approval_a_hold_cannot_be_released() -> None:
    hold = _hold()
    approval = ask(action=RELEASE, target=hold, by=make_staff(), reason="The case settled")
    with pytest.raises(ApprovalRefused, match="needs a second person's approval first"):
        release_hold(hold=hold, approval=approval)
    assert LegalHold.objects.get(pk=hold.pk).released_at is None


def test_in_the_console_one_officer_asks_and_another_approves_and_releases() -> None:
    hold = _hold()
    url = f"/console/retention/holds/{hold.pk}/release/"
    first, second = StaffClient(), StaffClient()
    first.force_login(make_staff(email="first@goodskinclinics.com"))
    second.force_login(make_staff(email="second@goodskinclinics.com"))

    first.post(url, {"step": "ask", "reason": "The dispute was settled on 30 November"})
    own = first.post(url, {"step": "approve"}, follow=True).content.decode()
    assert "You asked for this: a different member of staff must decide it." in own
    assert LegalHold.objects.get(pk=hold.pk).released_at is None
    page = second.get("/console/retention/").content.decode()
    assert "“The dispute was settled on 30 November”" in page
    second.post(url, {"step": "approve"})

    assert LegalHold.objects.get(pk=hold.pk).released_at is not None
    events = list(
        AuditEntry.objects.filter(
            event__in=[Event.APPROVAL_ASKED, Event.APPROVAL_DECIDED, Event.HOLD_RELEASED]
        )
        .order_by("sequence")
        .values_list("event", "data")
    )
    assert events == [
        (Event.APPROVAL_ASKED, {"action": RELEASE}),
        (Event.APPROVAL_DECIDED, {"action": RELEASE, "approved": True}),
        (Event.HOLD_RELEASED, {"reason": "litigation"}),
    ]


def test_asking_without_a_reason_is_refused_with_a_sentence() -> None:
    with pytest.raises(ApprovalRefused, match="Say why"):
        ask(action=RELEASE, target=_hold(), by=make_staff(), reason="  ")
    assert not Approval.objects.exists()
