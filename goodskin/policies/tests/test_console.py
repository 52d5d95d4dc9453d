"""The privacy officer drafts, reviews the diff, publishes, and watches the notices go out."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import make_account, make_staff
from goodskin.accounts.tests.signing_in import StaffClient
from goodskin.approvals.models import Approval
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.policies.models import PolicyNotice, PolicyVersion

pytestmark = pytest.mark.django_db


def editor_form(draft: PolicyVersion, **changes: str) -> dict[str, str]:
    """The editor's fields as the officer would send them back, with some changed."""
    form: dict[str, str] = {"summary-en": "", "summary-es": ""}
    for i, section in enumerate(draft.content):
        form[f"s{i}-heading-en"] = section["heading"]["en"]
        form[f"s{i}-heading-es"] = section["heading"]["es"]
        for j, clause in enumerate(section["clauses"]):
            if not clause.get("generated"):
                form[f"s{i}-c{j}-en"] = clause["text"]["en"]
                form[f"s{i}-c{j}-es"] = clause["text"]["es"]
    form.update(changes)
    return form


def start_draft(officer: Client) -> PolicyVersion:
    response = officer.post("/console/policies/new/privacy/")
    draft = PolicyVersion.objects.get(document="privacy", status="draft")
    assert response["Location"] == f"/console/policies/{draft.pk}/edit/"
    return draft


def test_the_officer_edits_adds_and_removes_clauses_and_keys_stay_put(officer: Client) -> None:
    draft = start_draft(officer)
    first_key = draft.content[0]["clauses"][0]["key"]
    response = officer.post(
        f"/console/policies/{draft.pk}/edit/",
        editor_form(
            draft,
            **{
                "s0-c0-en": "GoodSkin Clinics is run by Aesthetics Management, Inc.",
                "s0-new-en": "We are based in Los Angeles.",
                "s0-new-es": "Tenemos sede en Los Ángeles.",
                "s2-c3-remove": "on",
                "next": "edit",
            },
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    who = draft.content[0]["clauses"]
    assert [c["key"] for c in who] == [first_key, "who-we-are-1"]
    assert who[0]["text"]["en"] == "GoodSkin Clinics is run by Aesthetics Management, Inc."
    assert [c["key"] for c in draft.content[2]["clauses"]] == ["use-1", "use-2", "use-3"]


def test_a_clause_left_without_its_spanish_is_refused_on_the_page(officer: Client) -> None:
    draft = start_draft(officer)
    before = draft.content
    response = officer.post(
        f"/console/policies/{draft.pk}/edit/", editor_form(draft, **{"s1-c0-es": " "})
    )
    assert response.status_code == 400
    assert "The Spanish words are missing. (collect-1-es)" in response.content.decode()
    draft.refresh_from_db()
    assert draft.content == before


def test_what_changed_is_said_on_the_publish_page_itself(officer: Client) -> None:
    draft = start_draft(officer)
    officer.post(
        f"/console/policies/{draft.pk}/edit/",
        editor_form(draft, **{"s6-c0-en": "We keep consultation notes for seven years."}),
    )
    page = officer.get(f"/console/policies/{draft.pk}/publish/").content.decode()
    assert 'name="summary-en"' in page
    assert 'name="summary-es"' in page

    refused = officer.post(
        f"/console/policies/{draft.pk}/publish/",
        {"material": "yes", "reason": "Longer retention", "summary-en": "", "summary-es": ""},
    )
    assert refused.status_code == 400
    assert "Say what changed, in English and in Spanish" in refused.content.decode()
    assert 'class="form-row errors"><legend>What changed' in refused.content.decode()

    done = officer.post(
        f"/console/policies/{draft.pk}/publish/",
        {
            "material": "yes",
            "reason": "Longer retention",
            "summary-en": "Notes are kept seven years.",
            "summary-es": "Las notas se guardan siete años.",
        },
    )
    assert done["Location"] == "/console/policies/"
    assert not PolicyVersion.objects.filter(document="privacy", number=2).exists()
    own = officer.post(f"/console/policies/{draft.pk}/publish/", {"step": "approve"})
    assert own.status_code == 200  # the asker cannot approve: the page says who may
    assert not PolicyVersion.objects.filter(document="privacy", number=2).exists()
    second_officer().post(f"/console/policies/{draft.pk}/publish/", {"step": "approve"})
    published = PolicyVersion.objects.get(document="privacy", number=2)
    assert published.summary == {
        "en": "Notes are kept seven years.",
        "es": "Las notas se guardan siete años.",
    }


@time_machine.travel("2027-03-01 09:00:00-08:00", tick=False)
def test_publishing_shows_the_diff_refuses_a_missing_reason_then_announces(
    officer: Client, django_capture_on_commit_callbacks: object
) -> None:
    officer.force_login(_officer())  # a session on the travelled-to day
    make_account(verified=True)
    make_account(email="ana@example.com", verified=True)
    draft = start_draft(officer)
    officer.post(
        f"/console/policies/{draft.pk}/edit/",
        editor_form(
            draft,
            **{
                "s6-c0-en": "We keep consultation notes for seven years.",
                "summary-en": "Consultation notes are kept seven years.",
                "summary-es": "Las notas se guardan siete años.",
            },
        ),
    )
    review = officer.get(f"/console/policies/{draft.pk}/publish/").content.decode()
    assert "<del>" in review
    assert "<ins>" in review

    refused = officer.post(f"/console/policies/{draft.pk}/publish/", {"material": "yes"})
    assert refused.status_code == 400
    assert "Give the reason the change is material." in refused.content.decode()
    assert PolicyVersion.objects.filter(number=2).count() == 0

    asked = officer.post(
        f"/console/policies/{draft.pk}/publish/",
        {"material": "yes", "reason": "A longer retention period for notes"},
    )
    assert asked["Location"] == "/console/policies/"
    assert (
        "Waiting for a second officer"
        in officer.get(f"/console/policies/{draft.pk}/publish/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=False) as announce:  # type: ignore[operator]
        done = second_officer().post(f"/console/policies/{draft.pk}/publish/", {"step": "approve"})
    assert done["Location"] == "/console/policies/"
    published = PolicyVersion.objects.get(document="privacy", number=2)
    assert AuditEntry.objects.get(event=Event.POLICY_PUBLISHED).data["approval"] == (
        Approval.objects.get(action="policies.publish_version").pk
    )
    assert published.reason == "A longer retention period for notes"
    # Before the worker has queued the first batch, the page says so, not "0 of 0 (100%)".
    waiting = officer.get("/console/policies/").content.decode()
    assert "Notices to 2 account holders are being prepared by the worker" in waiting
    assert "0 of 0" not in waiting
    for callback in announce:
        callback()
    assert PolicyNotice.objects.count() == 2  # the two patients; staff accounts are not told
    overview = officer.get("/console/policies/").content.decode()
    assert "2 of 2 account holders notified so far (100%)" in overview


def second_officer() -> Client:
    """Another privacy officer, signed in: the second person a material change needs."""
    client = StaffClient()
    client.force_login(make_staff(email="second.officer@goodskinclinics.com"))
    return client


def _officer() -> User:

    return User.objects.get(email="privacy.officer@goodskinclinics.com")


def test_the_lookup_says_which_version_governed_a_person(officer: Client) -> None:
    rosa = make_account()
    page = officer.get(
        f"/console/policies/?person={rosa.person_id}&at=2026-12-01T10:00"
    ).content.decode()
    assert f"Version governing person {rosa.person_id} at 2026-12-01 10:00" in page
    assert "<td>v1</td>" in page
    assert (
        "No person with that number."
        in officer.get("/console/policies/?person=99999").content.decode()
    )
