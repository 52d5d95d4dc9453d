"""The data map covers every field of every model, in the fideslang vocabulary, and says so at
start-up when it does not."""

from __future__ import annotations

import dataclasses

from django.core import checks

from goodskin.accounts.models import User
from goodskin.core.datamap import Personal
from goodskin.vault.checks import _declaration_errors, check_data_map
from goodskin.vault.registry import entries, person_linked


def test_the_project_passes_its_own_data_map_check() -> None:
    assert check_data_map() == []


def test_every_installed_model_is_declared() -> None:
    assert [entry.label for entry in entries() if entry.declaration is None] == []


def test_an_undeclared_field_stops_start_up_and_is_named() -> None:
    declaration = User.personal_data
    fields = {name: use for name, use in declaration.fields.items() if name != "full_name"}
    errors = _declaration_errors(User, dataclasses.replace(declaration, fields=fields))
    assert [(error.id, error.msg) for error in errors] == [
        (
            "vault.E002",
            "accounts.User.full_name is not in the data map: declare it in personal_data.fields "
            "with a category, or list it in not_personal",
        )
    ]
    assert all(isinstance(error, checks.Error) for error in errors)


def test_an_unknown_category_is_named_with_the_field() -> None:
    declaration = User.personal_data
    fields = dict(declaration.fields)
    fields["full_name"] = Personal("user.nickname", ("essential.service",), "Contract")
    errors = _declaration_errors(User, dataclasses.replace(declaration, fields=fields))
    assert [(error.id, error.msg) for error in errors] == [
        ("vault.E003", "accounts.User.full_name has unknown data category 'user.nickname'")
    ]


def test_sensitive_data_in_a_plain_column_is_refused() -> None:
    declaration = User.personal_data
    fields = dict(declaration.fields)
    fields["full_name"] = Personal("user.health_and_medical", ("essential.service",), "Consent")
    errors = _declaration_errors(User, dataclasses.replace(declaration, fields=fields))
    assert [error.id for error in errors] == ["vault.E007"]
    assert (
        "accounts.User.full_name holds user.health_and_medical, which must be sealed"
        in errors[0].msg
    )


def test_unknown_purpose_and_basis_are_refused() -> None:
    declaration = User.personal_data
    fields = dict(declaration.fields)
    fields["full_name"] = Personal("user.name", ("selling.lists",), "Because")
    errors = _declaration_errors(User, dataclasses.replace(declaration, fields=fields))
    assert [error.id for error in errors] == ["vault.E004", "vault.E005"]


def test_a_declared_field_that_does_not_exist_is_refused() -> None:
    declaration = User.personal_data
    errors = _declaration_errors(
        User,
        dataclasses.replace(declaration, not_personal=(*declaration.not_personal, "shoe_size")),
    )
    assert [(error.id, error.msg) for error in errors] == [
        (
            "vault.E006",
            "accounts.User: the data map names 'shoe_size', which is not a field of the model",
        )
    ]


def test_person_linked_tables_all_point_at_person() -> None:
    labels = sorted(model._meta.label for model, _ in person_linked())
    assert "accounts.User" in labels
    for model, declaration in person_linked():
        field = model._meta.get_field(declaration.subject or "")
        assert field.related_model._meta.label == "vault.Person"  # type: ignore[union-attr]
        assert field.db_index or field.unique  # type: ignore[union-attr]  # one indexed query


def test_every_browser_item_names_a_use_of_the_taxonomy_and_a_known_kind_and_consent() -> None:
    from goodskin.core.datamap import BROWSER_ITEMS  # noqa: PLC0415
    from goodskin.vault.taxonomy import DATA_USES  # noqa: PLC0415

    for item in BROWSER_ITEMS:
        assert item.purpose in DATA_USES, item.name
        assert item.kind in {"cookie", "localStorage", "sessionStorage"}, item.name
        assert item.waits_for in {"", "analytics", "preferences"}, item.name
    assert len({(item.kind, item.name) for item in BROWSER_ITEMS}) == len(BROWSER_ITEMS)
