"""Staff accounts are invited by a one-time link, get roles only with a second administrator's
approval, never leave the clinic without an administrator, and lose a stolen device's access at
once. High-risk actions ask for the second factor again after five minutes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from goodskin.accounts.models import RecoveryCode, RoleGrant, SecondFactor, User
from goodskin.accounts.tests.conftest import make_staff, starting_role
from goodskin.accounts.tests.signing_in import StaffClient, code_for, give_authenticator
from goodskin.approvals.models import Approval
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.tests.conftest import clinic, person
from goodskin.core.smtp_sink import SmtpSink
from goodskin.retention.actions import place_hold
from goodskin.submissions.models import ConsultationRequest

pytestmark = pytest.mark.django_db


def mail_to(sink: SmtpSink, address: str, count: int = 1) -> list[tuple[str, str]]:
    """(subject, text) of the mail that reached `address`, once `count` messages arrived."""
    arrived = sink.wait_for(count)
    return [
        (str(message["Subject"]), message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
        for message in arrived
        if address in str(message["To"])
    ]


def signed_in(user: User) -> Client:
    client = StaffClient()
    client.force_login(user)
    return client


def administrator(email: str = "admin@goodskinclinics.com") -> User:
    return make_staff("Administrator", email=email)


def invite(by: Client, **fields: str) -> int:
    form = {"full_name": "Nora Quinn", "email": "nora@goodskinclinics.com", "reason": "New hire"}
    form.update(fields)
    return by.post("/console/staff/invite/", form).status_code


def test_an_invitation_link_sets_a_password_once_and_the_second_factor_comes_next(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    admin = signed_in(administrator())
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(admin, role=str(starting_role("Front desk").pk)) == 302
    nora = User.objects.get(email="nora@goodskinclinics.com")
    assert nora.is_staff
    assert not nora.has_usable_password()
    assert list(nora.groups.all()) == []  # the role waits for a second administrator
    [(_, text)] = mail_to(smtp_sink, "nora@goodskinclinics.com")
    link = re.search(r"https?://\S+/console/invitation/(\S+)/", text)
    assert link is not None

    visitor = Client()
    path = f"/console/invitation/{link.group(1)}/"
    assert "Welcome, Nora Quinn" in visitor.get(path).content.decode()
    mismatch = visitor.post(path, {"password": "Quiet-Harbour-Lamp-7", "password_again": "other"})
    assert mismatch.status_code == 400
    accepted = visitor.post(
        path, {"password": "Quiet-Harbour-Lamp-7", "password_again": "Quiet-Harbour-Lamp-7"}
    )

    assert accepted["Location"] == "/console/sign-in/second-factor/"
    nora.refresh_from_db()
    assert nora.check_password("Quiet-Harbour-Lamp-7")
    assert visitor.get("/console/").status_code == 302  # signed in only once a factor passes
    used = Client().get(path)
    assert used.status_code == 400
    assert "already been used" in used.content.decode()
    assert AuditEntry.objects.filter(event=Event.INVITATION_ACCEPTED).count() == 1


def test_an_expired_invitation_is_refused_with_a_sentence_that_says_why(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in(administrator()))
    [(_, text)] = mail_to(smtp_sink, "nora@goodskinclinics.com")
    token = re.search(r"/console/invitation/(\S+)/", text).group(1)  # type: ignore[union-attr]
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        late = Client().post(
            f"/console/invitation/{token}/",
            {"password": "Quiet-Harbour-Lamp-7", "password_again": "Quiet-Harbour-Lamp-7"},
        )
    assert late.status_code == 400
    assert "This invitation expired 3 days after it was sent." in late.content.decode()
    assert not User.objects.get(email="nora@goodskinclinics.com").has_usable_password()


def test_an_address_that_already_has_an_account_cannot_be_invited_again() -> None:
    admin = signed_in(administrator())
    make_staff(None, email="nora@goodskinclinics.com")
    response = admin.post(
        "/console/staff/invite/", {"full_name": "Nora", "email": "NORA@goodskinclinics.com"}
    )
    assert response.status_code == 400
    assert "That address already has an account." in response.content.decode()
    assert User.objects.filter(email="nora@goodskinclinics.com").count() == 1


def test_a_role_is_given_only_when_a_second_administrator_approves(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    first_admin, second_admin = administrator(), administrator("admin2@goodskinclinics.com")
    first, second = signed_in(first_admin), signed_in(second_admin)
    nora = make_staff(None, email="nora@goodskinclinics.com")
    officer = starting_role("Privacy officer")
    url = f"/console/staff/{nora.pk}/"

    first.post(url, {"do": "ask_role", "role": officer.pk, "reason": "Covers for Pat in December"})
    grant = RoleGrant.objects.get(account=nora)
    own = first.post(f"/console/staff/grants/{grant.pk}/", {"step": "approve"})
    assert own.status_code == 400
    assert "You asked for this" in own.content.decode()
    assert list(nora.groups.all()) == []

    with django_capture_on_commit_callbacks(execute=True):
        approved = second.post(f"/console/staff/grants/{grant.pk}/", {"step": "approve"})
    assert approved.status_code == 302

    assert list(nora.groups.all()) == [officer]
    given = AuditEntry.objects.get(event=Event.ROLE_GRANTED)
    assert given.data == {"role": officer.pk, "approval": Approval.objects.get().pk}
    assert [subject for subject, _ in mail_to(smtp_sink, "nora@goodskinclinics.com")] == [
        "You have a new role on the GoodSkin console"
    ]


def test_taking_the_last_administrators_role_or_account_away_is_refused() -> None:
    only = administrator()
    client = signed_in(only)
    role = starting_role("Administrator")

    removed = client.post(f"/console/staff/{only.pk}/", {"do": "remove_role", "role": role.pk})
    deactivated = client.post(f"/console/staff/{only.pk}/", {"do": "deactivate"})

    for refused in (removed, deactivated):
        assert refused.status_code == 400
        assert "That would leave the clinic with no administrator." in refused.content.decode()
    only.refresh_from_db()
    assert list(only.groups.all()) == [role]
    assert only.is_active
    assert not AuditEntry.objects.filter(
        event__in=[Event.ROLE_REMOVED, Event.STAFF_DEACTIVATED]
    ).exists()


def test_a_role_can_be_taken_away_at_once_by_one_administrator() -> None:
    admin = signed_in(administrator())
    pat = make_staff("Privacy officer", email="pat@goodskinclinics.com")
    pats_session = signed_in(pat)
    assert pats_session.get("/console/requests/").status_code == 200

    admin.post(f"/console/staff/{pat.pk}/", {"do": "remove_role", "role": pat.groups.get().pk})

    assert pats_session.get("/console/requests/").status_code == 403
    assert AuditEntry.objects.get(event=Event.ROLE_REMOVED).data == {
        "role": starting_role("Privacy officer").pk
    }


def test_an_administrator_resets_a_lost_second_factor_audited_and_the_person_is_told(
    smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    admin_user = administrator()
    admin = signed_in(admin_user)
    pat = make_staff(email="pat@goodskinclinics.com")
    give_authenticator(pat)
    from goodskin.accounts.factors import issue_recovery_codes  # noqa: PLC0415

    issue_recovery_codes(user=pat)
    pats_session = signed_in(pat)

    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/console/staff/{pat.pk}/", {"do": "reset_second_factor"})

    assert not SecondFactor.objects.filter(user=pat).exists()
    assert not RecoveryCode.objects.filter(user=pat).exists()
    assert pats_session.get("/console/").status_code == 302  # the open session ended at once
    reset = AuditEntry.objects.get(event=Event.SECOND_FACTOR_RESET)
    assert reset.data == {"factors": 1, "by": admin_user.pk}
    assert [subject for subject, _ in mail_to(smtp_sink, "pat@goodskinclinics.com")] == [
        "Your GoodSkin console second factor was reset"
    ]
    own = admin.post(f"/console/staff/{admin_user.pk}/", {"do": "reset_second_factor"})
    assert own.status_code == 400
    assert "You cannot reset your own second factor" in own.content.decode()


def test_a_role_without_the_capability_cannot_change_staff_accounts() -> None:
    security = signed_in(make_staff("Security", email="sec@goodskinclinics.com"))
    pat = make_staff(email="pat@goodskinclinics.com")
    assert security.get("/console/staff/").status_code == 200  # sees who holds what
    refused = security.post(f"/console/staff/{pat.pk}/", {"do": "deactivate"})
    assert refused.status_code == 403
    pat.refresh_from_db()
    assert pat.is_active


# --- Asking for the second factor again ------------------------------------------------------


def test_an_export_asks_for_the_second_factor_again_after_five_minutes() -> None:
    officer = make_staff(email="pat@goodskinclinics.com")
    secret = give_authenticator(officer)
    client = signed_in(officer)
    rosa = person("rosa@example.com")
    url = f"/console/people/{rosa.pk}/export/"
    assert client.get(url).status_code == 200  # within five minutes of signing in

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        asked = client.get(url)
        assert asked.status_code == 403
        assert "Confirm it&#x27;s you" in asked.content.decode()
        exports = AuditEntry.objects.filter(event=Event.PERSON_EXPORTED).count()
        wrong = client.post(url, {"second_factor": "1", "code": "000000"})
        assert wrong.status_code == 400
        assert AuditEntry.objects.filter(event=Event.PERSON_EXPORTED).count() == exports

        confirmed = client.post(url, {"second_factor": "1", "code": code_for(secret)})

        assert confirmed.status_code == 200
        assert confirmed.json()["person"] == rosa.pk
        assert AuditEntry.objects.filter(event=Event.PERSON_EXPORTED).count() == exports + 1
        assert AuditEntry.objects.filter(event=Event.SECOND_FACTOR_CONFIRMED).count() == 1


def test_asking_again_keeps_what_was_typed_and_the_action_runs_once_confirmed() -> None:
    officer = make_staff(email="pat@goodskinclinics.com")
    secret = give_authenticator(officer)
    client = signed_in(officer)
    today = timezone.localdate()
    hold = place_hold(
        reason="dispute",
        case_reference="D-7",
        review_on=today + timedelta(days=30),
        people=[person("rosa@example.com")],
        today=today,
    )
    url = f"/console/retention/holds/{hold.pk}/release/"
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        asked = client.post(url, {"step": "ask", "reason": "Settled on 30 November"})
        page = asked.content.decode()
        assert asked.status_code == 403
        assert '<input type="hidden" name="reason" value="Settled on 30 November">' in page
        assert not Approval.objects.exists()

        client.post(
            url,
            {
                "step": "ask",
                "reason": "Settled on 30 November",
                "second_factor": "1",
                "code": code_for(secret),
            },
        )

    assert Approval.objects.get().reason == "Settled on 30 November"


# --- Clinicians see their own clinic ---------------------------------------------------------


def test_a_clinician_reads_only_the_consultations_of_the_clinic_they_work_at() -> None:
    beverly, pasadena = clinic("beverly-hills"), clinic("pasadena")
    clinician = make_staff("Clinician", email="dr.lee@goodskinclinics.com")
    User.objects.filter(pk=clinician.pk).update(clinic=beverly)
    rosa, ana = person("rosa@example.com"), person("ana@example.com")
    here = ConsultationRequest.objects.create(
        person=rosa,
        full_name="Rosa",
        email="rosa@example.com",
        clinic=beverly,
        preferred_time="any",
        language="en",
    )
    there = ConsultationRequest.objects.create(
        person=ana,
        full_name="Ana",
        email="ana@example.com",
        clinic=pasadena,
        preferred_time="any",
        language="en",
    )
    client = signed_in(User.objects.get(pk=clinician.pk))

    listing = client.get("/console/submissions/consultationrequest/").content.decode()
    assert f"/console/submissions/consultationrequest/{here.pk}/change/" in listing
    assert f"/console/submissions/consultationrequest/{there.pk}/change/" not in listing
    assert (
        client.get(f"/console/submissions/consultationrequest/{here.pk}/change/").status_code == 200
    )
    assert (
        client.get(f"/console/submissions/consultationrequest/{there.pk}/change/").status_code
        == 302
    )
    reads = AuditEntry.objects.filter(event=Event.PERSON_VIEWED)
    assert [entry.subject_id for entry in reads] == [str(rosa.pk)]


def test_a_clinician_whose_account_names_no_clinic_reads_no_consultations() -> None:
    client = signed_in(make_staff("Clinician", email="dr.lee@goodskinclinics.com"))
    assert client.get("/console/submissions/consultationrequest/").status_code == 403
    assert set(
        Group.objects.get(name="Clinician").permissions.values_list("codename", flat=True)
    ) == {"view_clinic_consultations"}


# --- Editing a role ---------------------------------------------------------------------------


def role_form(role: Group, codenames: list[str]) -> dict[str, Any]:
    chosen = Permission.objects.filter(codename__in=codenames)
    return {
        "name": role.name,
        "permissions": [str(pk) for pk in chosen.values_list("pk", flat=True)],
    }


def test_editing_a_role_is_audited_by_capability_name() -> None:
    admin = signed_in(administrator())
    front_desk = starting_role("Front desk")
    kept = list(front_desk.permissions.values_list("codename", flat=True))

    saved = admin.post(
        f"/console/auth/group/{front_desk.pk}/change/",
        role_form(front_desk, [*kept, "view_outbox"]) | {"_save": "Save"},
    )

    assert saved.status_code == 302
    edited = AuditEntry.objects.get(event=Event.ROLE_EDITED)
    assert edited.data == {"added": ["communications.view_outbox"], "removed": []}
    assert edited.target_id == str(front_desk.pk)


def test_a_role_edit_that_would_leave_no_administrator_is_refused() -> None:
    admin = signed_in(administrator())
    role = starting_role("Administrator")
    kept = [
        code
        for code in role.permissions.values_list("codename", flat=True)
        if code != "manage_staff"
    ]

    refused = admin.post(f"/console/auth/group/{role.pk}/change/", role_form(role, kept))

    assert refused.status_code == 200  # the form again, with the error on the field
    assert "That would leave the clinic with no administrator." in refused.content.decode()
    assert role.permissions.filter(codename="manage_staff").exists()
    assert not AuditEntry.objects.filter(event=Event.ROLE_EDITED).exists()
