"""The audit log: append-only, hash-chained, free of personal values."""

from __future__ import annotations

import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from goodskin.audit.actions import PersonalValueInAuditData, record
from goodskin.audit.chain import DIGEST_FIELDS
from goodskin.audit.events import Event
from goodskin.audit.models import AppendOnlyError, AuditEntry
from goodskin.core.context import Actor, acting_as
from goodskin.vault.models import Person

pytestmark = pytest.mark.django_db


def tamper(sql: str, params: list[str]) -> None:
    """Change the table behind the application's back, as an intruder with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue().strip()


def three_entries() -> list[AuditEntry]:
    person = Person.objects.create(key_id=uuid.uuid4())  # no audit entry of its own
    with acting_as(Actor.user(41), request_id="r1"):
        return [
            record(Event.SIGNED_IN, subject=person, target=person),
            record(
                Event.PROFILE_UPDATED, subject=person, target=person, data={"fields": ["full_name"]}
            ),
            record(Event.SIGNED_OUT, subject=person, target=person),
        ]


def test_entries_chain_each_to_the_one_before() -> None:
    first, second, third = three_entries()
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert (second.actor_kind, second.request_id, second.subject_type) == (
        "user",
        "r1",
        "vault.person",
    )


def test_verify_passes_on_an_intact_chain() -> None:
    three_entries()
    assert verify() == "audit chain intact: 3 entries"


def test_verify_names_the_first_edited_entry() -> None:
    three_entries()
    tamper("UPDATE audit_auditentry SET data = %s WHERE sequence = 2", ['{"fields": ["email"]}'])
    with pytest.raises(CommandError) as failure:
        verify()
    assert str(failure.value) == (
        "audit chain broken at entry #2: its contents do not match its hash "
        "(1 entries before it are intact)"
    )
    assert failure.value.returncode == 1


def test_verify_notices_a_deleted_entry() -> None:
    three_entries()
    tamper("DELETE FROM audit_auditentry WHERE sequence = 2", [])
    with pytest.raises(CommandError, match=r"broken at entry #2: entry #2 is missing"):
        verify()


def test_verify_notices_the_newest_entries_cut_off() -> None:
    three_entries()
    tamper("DELETE FROM audit_auditentry WHERE sequence = 3", [])
    with pytest.raises(CommandError, match=r"broken at entry #3: entries after #2 are missing"):
        verify()


def test_application_code_cannot_change_or_delete_entries() -> None:
    first, *_ = three_entries()
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(sequence=1).update(event="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_raw_updates_to_entries() -> None:
    three_entries()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET event = 'x' WHERE sequence = 1")


@pytest.mark.parametrize(
    "data",
    [
        {"email": "rosa@example.com"},
        {"name": "Rosa Delgado"},
        {"born": "1990-04-25 "},
        {"note": "Has rosacea"},
        {"Bad Key": 1},
        {"fields": ["full_name", "Rosa"]},
        {"amount": 1.5},
    ],
)
def test_personal_values_cannot_be_written_to_the_log(data: dict[str, object]) -> None:
    with pytest.raises(PersonalValueInAuditData):
        record(Event.PROFILE_UPDATED, data=data)  # type: ignore[arg-type]
    assert AuditEntry.objects.count() == 0


def test_entry_rolls_back_with_the_change_it_describes() -> None:
    def failing_change() -> None:
        with transaction.atomic():
            record(Event.SIGNED_IN)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert AuditEntry.objects.count() == 0
    assert record(Event.SIGNED_IN).sequence == 1


def test_only_known_events_can_be_recorded() -> None:
    with pytest.raises(TypeError, match="audit events are Event members"):
        record("account.made_up")  # type: ignore[arg-type]
    assert AuditEntry.objects.count() == 0


def test_the_hash_covers_every_stored_field_but_itself() -> None:
    stored = {field.name for field in AuditEntry._meta.concrete_fields} - {"id", "entry_hash"}
    assert set(DIGEST_FIELDS) == stored
