"""Staff answer an access request in minutes: everything about one person, as JSON, audited;
and the same 404 for a missing person as for one the staff member may not see."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import make_account, make_staff
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.vault.models import Person
from goodskin.vault.queries import find_person

pytestmark = pytest.mark.django_db


def staff(*, allowed: bool) -> User:
    """A privacy officer may export a person; an auditor, who sees no personal values, may not."""
    role = "Privacy officer" if allowed else "Auditor"
    return make_staff(role, email=f"staff{int(allowed)}@goodskinclinics.com")


def test_staff_with_permission_download_everything_about_a_person(client: Client) -> None:
    patient = make_account(email="rosa@example.com")
    client.force_login(staff(allowed=True))
    response = client.get(f"/console/people/{patient.person_id}/export/")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="person-{patient.person_id}.json"'
    )
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    tables = {table["model"]: table["rows"] for table in body["tables"]}
    assert tables["accounts.User"][0]["date_of_birth_sealed"] == "1990-04-25"
    assert tables["vault.Person"][0]["email"] == "rosa@example.com"
    entry = AuditEntry.objects.get(event=Event.PERSON_EXPORTED)
    assert entry.subject_id == str(patient.person_id)
    assert entry.data == {
        "tables": len(body["tables"]),
        "rows": sum(len(rows) for rows in tables.values()),
    }


def test_a_role_without_the_export_learns_nothing_about_who_exists(client: Client) -> None:
    patient = make_account(email="rosa@example.com")
    client.force_login(staff(allowed=False))
    real = client.get(f"/console/people/{patient.person_id}/export/")
    invented = client.get("/console/people/999999/export/")
    assert real.status_code == invented.status_code == 403
    client.force_login(staff(allowed=True))
    assert client.get("/console/people/999999/export/").status_code == 404
    assert not AuditEntry.objects.filter(event=Event.PERSON_EXPORTED).exists()


def test_patients_cannot_reach_the_export(client: Client) -> None:
    patient = make_account(email="rosa@example.com")
    client.force_login(patient)
    response = client.get(f"/console/people/{patient.person_id}/export/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/")


def test_people_are_found_by_email_in_any_case_or_by_phone_preferring_verified() -> None:
    rosa = make_account(email="rosa@example.com").person
    assert find_person(email="ROSA@example.com ") == rosa
    unverified = Person.objects.create(key_id=uuid.uuid4(), phone="+13102061234")
    verified = Person.objects.create(
        key_id=uuid.uuid4(), phone="+13102061234", phone_verified_at=timezone.now()
    )
    assert find_person(phone="+13102061234") == verified
    assert unverified != verified
    assert find_person(email="nobody@example.com") is None
    assert find_person() is None
