"""Sensitive values are sealed under the person's own key; erasing the person destroys the key
and deletes or anonymises every row about them."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import PASSWORD, make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.vault import keys
from goodskin.vault.actions import erase_person, reapply_erasures
from goodskin.vault.crypto import SealBroken
from goodskin.vault.models import Erasure, ErasureReason, Person, PersonKey
from goodskin.vault.queries import everything_about
from goodskin.vault.registry import person_linked

pytestmark = pytest.mark.django_db


def raw_column(sql: str, params: list[int]) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row is not None
    return bytes(row[0])


def test_date_of_birth_is_stored_sealed_and_reads_back() -> None:
    user = make_account()
    stored = raw_column("SELECT date_of_birth_sealed FROM accounts_user WHERE id = %s", [user.pk])
    assert b"1990" not in stored
    assert User.objects.get(pk=user.pk).date_of_birth == date(1990, 4, 25)


def test_each_person_has_their_own_key() -> None:
    first, second = make_account(email="a@example.com"), make_account(email="b@example.com")
    assert first.person.key_id != second.person.key_id
    assert PersonKey.objects.count() == 2
    assert keys.data_key(first.person.key_id) != keys.data_key(second.person.key_id)


def test_a_sealed_value_copied_into_another_persons_row_does_not_open() -> None:
    victim, thief = make_account(email="a@example.com"), make_account(email="b@example.com")
    User.objects.filter(pk=thief.pk).update(date_of_birth_sealed=victim.date_of_birth_sealed)
    copied = User.objects.get(pk=thief.pk)
    with pytest.raises(SealBroken, match="does not open as accounts.user.date_of_birth_sealed"):
        _ = copied.date_of_birth
    assert User.objects.get(pk=victim.pk).date_of_birth == date(1990, 4, 25)


def test_export_finds_every_row_about_the_person_with_sealed_values_opened() -> None:
    user = make_account(email="rosa@example.com")
    make_account(email="someone.else@example.com")
    tables = {table.model: table.rows for table in everything_about(user.person)}
    [person] = tables["vault.Person"]
    assert (person["id"], person["email"], person["phone"]) == (
        user.person_id,
        "rosa@example.com",
        None,
    )
    assert person["created_at"] == user.person.created_at  # every column, as Python values
    [account] = tables["accounts.User"]
    assert account["email"] == "rosa@example.com"
    assert account["full_name"] == "Rosa Delgado"
    assert account["date_of_birth_sealed"] == "1990-04-25"
    assert account["password"].startswith("md5$")  # the stored hash, never the password
    assert PASSWORD not in str(tables)


def test_export_takes_one_query_per_table(django_assert_max_num_queries: object) -> None:
    user = make_account()

    tables = 1 + len(person_linked())
    with django_assert_max_num_queries(tables + 1):  # type: ignore[operator]  # + the key lookup
        everything_about(user.person)


def test_erasure_destroys_the_key_and_scrubs_every_row() -> None:
    user = make_account(email="rosa@example.com", verified=True)
    bystander = make_account(email="other@example.com")
    person = user.person

    report = erase_person(person=person, reason=ErasureReason.DELETION_REQUEST)

    assert report.key_destroyed is True
    assert {table: rows for table, rows in report.rows.items() if rows} == {
        "accounts.User": 1,
        "vault.Person": 1,
    }
    assert not PersonKey.objects.filter(key_id=person.key_id).exists()
    with pytest.raises(keys.KeyShredded):
        keys.data_key(person.key_id)
    person.refresh_from_db()
    assert (person.email, person.phone, person.erased_at is not None) == (None, None, True)
    shell = User.objects.get(pk=user.pk)
    assert (shell.full_name, shell.email, shell.date_of_birth_sealed) == (
        "",
        f"closed-{user.pk}@closed.invalid",
        None,
    )
    assert (shell.is_active, shell.password, shell.preferred_language) == (False, "!", "en")
    assert Erasure.objects.get(key_id=person.key_id).reason == "deletion_request"
    # the bystander is untouched
    bystander.refresh_from_db()
    assert bystander.date_of_birth == date(1990, 4, 25)
    assert bystander.full_name == "Rosa Delgado"


def test_erasing_twice_changes_nothing_the_second_time() -> None:
    person = make_account().person
    erase_person(person=person, reason=ErasureReason.DELETION_REQUEST)
    second = erase_person(person=person, reason=ErasureReason.DELETION_REQUEST)
    assert second.changed_anything is False
    assert AuditEntry.objects.filter(event=Event.PERSON_ERASED).count() == 1


def test_erasure_interrupted_after_the_key_is_finished_by_reapply() -> None:
    person = make_account().person
    # the first step committed, then the process died before the rows were scrubbed
    Erasure.objects.create(key_id=person.key_id, person_id=person.pk, reason="deletion_request")
    keys.destroy_key(person.key_id)

    assert reapply_erasures() == 1
    assert reapply_erasures() == 0
    shell = User.objects.get(person=person)
    assert shell.full_name == ""
    assert Person.objects.get(pk=person.pk).erased_at is not None


def test_audit_entry_for_erasure_names_tables_and_counts_only() -> None:
    person = make_account(email="rosa@example.com").person
    erase_person(person=person, reason=ErasureReason.DELETION_REQUEST)
    entry = AuditEntry.objects.get(event=Event.PERSON_ERASED)
    assert entry.data == {
        "reason": "deletion_request",
        "key_destroyed": True,
        "tables": ["accounts.user", "vault.person"],
        "rows": 2,
    }
    assert "rosa" not in str(entry.data)
