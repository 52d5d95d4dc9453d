"""The data map as people and tools see it: fideslang/CSV/JSON exports, the staff table and the
public "what we collect and why" list, all generated from the declarations."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from fideslang.models import Dataset, System

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import make_account, make_staff
from goodskin.core.datamap import BROWSER_ITEMS
from goodskin.disclosures.queries import register
from goodskin.retention.queries import rule_wordings
from goodskin.vault.checks import _declaration_errors
from goodskin.vault.registry import personal_fields
from goodskin.vault.summary import what_we_collect


def export(format_name: str) -> str:
    out = StringIO()
    call_command("datamap_export", "--format", format_name, stdout=out)
    return out.getvalue()


def test_fideslang_export_is_a_fides_dataset_and_system() -> None:
    document = yaml.safe_load(export("fideslang"))
    [dataset] = document["dataset"]
    assert dataset["fides_key"] == "goodskin_clinics"
    collections = {collection["name"]: collection for collection in dataset["collections"]}
    user_fields = {
        field["name"]: field["data_categories"] for field in collections["accounts_user"]["fields"]
    }
    assert user_fields["date_of_birth_sealed"] == ["user.demographic.date_of_birth"]
    assert user_fields["email"] == ["user.contact.email"]
    exported = sum(len(collection["fields"]) for collection in dataset["collections"])
    assert exported == len(list(personal_fields()))
    [system] = document["system"]
    uses = {declaration["data_use"]: declaration for declaration in system["privacy_declarations"]}
    assert (
        "user.authorization.credentials"
        in uses["essential.service.authentication"]["data_categories"]
    )
    assert all(
        declaration["dataset_references"] == ["goodskin_clinics"] for declaration in uses.values()
    )


def test_the_fideslang_export_parses_with_fideslang_and_uses_only_its_default_taxonomy() -> None:
    document = yaml.safe_load(export("fideslang"))
    dataset = Dataset.model_validate(document["dataset"][0])  # fideslang's own models read it
    system = System.model_validate(document["system"][0])
    categories = {item.fides_key for item in DEFAULT_TAXONOMY.data_category}
    uses = {item.fides_key for item in DEFAULT_TAXONOMY.data_use}
    subjects = {item.fides_key for item in DEFAULT_TAXONOMY.data_subject}
    used = {
        c
        for collection in dataset.collections
        for f in collection.fields or []
        for c in f.data_categories or []
    }
    assert used <= categories, sorted(used - categories)
    for declaration in system.privacy_declarations:
        assert declaration.data_use in uses
        assert set(declaration.data_categories) <= categories
        assert declaration.data_subjects == ["patient"]
        assert declaration.data_subjects[0] in subjects
    consultations = {c.name: c for c in dataset.collections}["submissions_consultationrequest"]
    message = {f.name: f for f in consultations.fields or []}["message_sealed"]
    assert message.data_categories == ["user.health_and_medical"]
    health = [
        d for d in system.privacy_declarations if "user.health_and_medical" in d.data_categories
    ]
    assert health
    assert all(d.processes_special_category_data for d in health)


def test_csv_and_json_exports_list_every_personal_field() -> None:
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    records = json.loads(export("json"))["fields"]
    assert len(rows) == len(records) == len(list(personal_fields()))
    dob = next(row for row in rows if row["field"] == "date_of_birth_sealed")
    assert dob == {
        "model": "accounts.User",
        "table": "accounts_user",
        "field": "date_of_birth_sealed",
        "data_category": "user.demographic.date_of_birth",
        "data_uses": "essential.service;essential.legal_obligation",
        "legal_basis": "Legal obligations",
        "sensitive_sealed": "True",
        "retention": "account",
        "on_erase": "anonymise",
        "recipients": "",
    }


def test_export_refuses_an_unknown_format() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        call_command("datamap_export", "--format", "xml", stdout=StringIO())


def test_an_unknown_retention_rule_is_refused() -> None:
    errors = _declaration_errors(User, dataclasses.replace(User.personal_data, retention="forever"))
    assert [(error.id, error.msg) for error in errors] == [
        ("vault.E009", "accounts.User names unknown retention rule 'forever'")
    ]


@pytest.mark.django_db
def test_staff_see_the_data_map_and_patients_do_not(client: Client) -> None:
    assert client.get("/console/data-map/").status_code == 302
    patient = make_account(email="patient@example.com")
    client.force_login(patient)
    assert client.get("/console/data-map/").status_code == 302
    client.force_login(make_staff(None, email="new.hire@goodskinclinics.com"))
    assert client.get("/console/data-map/").status_code == 403  # staff, but no role yet
    client.force_login(make_staff("Auditor"))
    page = client.get("/console/data-map/")
    assert page.status_code == 200
    assert len(page.context["rows"]) == len(list(personal_fields()))
    html = page.content.decode()
    assert "<code>date_<wbr>of_<wbr>birth_<wbr>sealed</code>" in html
    assert "<code>user.<wbr>demographic.<wbr>date_<wbr>of_<wbr>birth</code>" in html
    # Every cookie the crawl may see is listed, with the consent the analytics one waits for.
    for item in BROWSER_ITEMS:
        assert f'data-browser-item="{item.name}"' in html
    assert "<code>gs_vid</code></td><td>cookie</td>" in html
    assert "analytics consent" in html


@pytest.mark.django_db
def test_privacy_page_lists_what_we_collect_from_the_map(client: Client) -> None:
    html = client.get("/privacy/").content.decode()
    assert "Everything we keep, and why" in html
    assert "Your date of birth" in html
    assert "encrypted with a key that is yours alone" in html
    assert "while your account is open; erased at once when you close it" in html
    assert "Your Social Security number" not in html  # nothing collects it, so nothing claims it


@pytest.mark.django_db
def test_everything_we_keep_says_how_long_once_per_place_and_explains_location(
    client: Client,
) -> None:

    collected = what_we_collect(rule_wordings(), register())
    for item in collected:
        places = [kept.where for kept in item.kept]
        assert len(places) == len(set(places)), item.what  # one answer per place, never two
    email = next(item for item in collected if item.category == "user.contact.email")
    assert {kept.where for kept in email.kept} >= {"In your account", "In the forms you send us"}
    html = client.get("/privacy/").content.decode()
    assert "<li>In your account: while your account is open; erased at once when you" in html
    assert "approximate location" not in html.split("Your location:")[0]
    assert "suggest the nearest clinic, and keeps nothing of it." in html
    assert "our email delivery provider, only to deliver messages to you" not in html
    assert "Hosting and maintenance of our systems" in html  # from the register
