"""Every journey works the second time: a person with a row in every personal table (including
a sealed file: an agent's signed permission) gets a second access report after the first, and
staff can export everything about them twice, both ways, with every field type opened."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

import pytest
from django.test import Client

from goodskin.accounts.tests.conftest import make_staff
from goodskin.core.smtp_sink import SmtpSink
from goodskin.rights.actions.fulfilment import fulfil_request
from goodskin.rights.actions.intake import open_request
from goodskin.rights.models import Channel, DataRequest, Status
from goodskin.rights.tests.test_lifecycle import TODAY
from goodskin.vault.models import Person
from goodskin.vault.queries import everything_about
from goodskin.vault.registry import person_linked
from goodskin.vault.tests.test_backup_after_erasure import someone_with_data_everywhere

pytestmark = pytest.mark.django_db


def access_report(client: Client, person: Person, smtp_sink: SmtpSink, capture: object) -> dict:  # type: ignore[type-arg]  # JSON
    opened = open_request(
        kind="access",
        email=str(person.email),
        state="CA",
        today=TODAY,
        channel=Channel.ACCOUNT,
        signed_in_person=person,
    )
    assert opened.request.status == Status.VERIFIED
    smtp_sink.clear()
    with capture(execute=True):  # type: ignore[operator]  # django_capture_on_commit_callbacks
        fulfil_request(request=opened.request, today=TODAY)
    ready = next(m for m in smtp_sink.messages if "is ready" in m["Subject"])
    link = re.search(r"http://testserver(\S+)", ready.get_content()).group(1)  # type: ignore[union-attr]  # present
    client.force_login(person.account)
    download = client.get(link)
    assert download.status_code == 200
    report: dict = json.loads(zipfile.ZipFile(io.BytesIO(download.content)).read("report.json"))  # type: ignore[type-arg]  # JSON
    return report


def test_a_second_access_report_and_second_staff_export_open_every_field_type(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    user = someone_with_data_everywhere("rosa@example.com")
    person = user.person
    filled = {table.model for table in everything_about(person) if table.rows}
    every_table = {Person._meta.label} | {model._meta.label for model, _ in person_linked()}
    assert filled == every_table, f"not filled: {sorted(every_table - filled)}"

    first = access_report(client, person, smtp_sink, django_capture_on_commit_callbacks)
    second = access_report(client, person, smtp_sink, django_capture_on_commit_callbacks)

    requests = {table["table"]: table for table in second["tables"]}["rights.DataRequest"]
    assert requests["count"] == 4  # correction, know, the first access request, and this one
    assert all("report" not in row for row in requests["rows"])  # no report inside a report
    [permission] = [row["document"] for row in requests["rows"] if row.get("document")]
    assert permission == {
        "file": True,
        "bytes": len(b"%PDF-1.7 signed by rosa@example.com"),
        "sha256": hashlib.sha256(b"%PDF-1.7 signed by rosa@example.com").hexdigest(),
    }
    assert first["reference"] != second["reference"]

    client.force_login(make_staff())
    for _ in range(2):
        export = client.get(f"/console/people/{person.pk}/export/")
        assert export.status_code == 200
        tables = {table["model"]: table["rows"] for table in export.json()["tables"]}
        files = [row["report_sealed"] for row in tables["rights.DataRequest"]]
        assert [item["file"] for item in files if item] == [True, True]  # both reports, as files
        assert permission in [row["document_sealed"] for row in tables["rights.DataRequest"]]
        [factor] = tables["accounts.SecondFactor"]  # a sign-in secret never leaves, even to staff
        assert factor["secret_sealed"] == "withheld: a sign-in secret is never copied out"
    assert DataRequest.objects.filter(kind="access", status=Status.FULFILLED).count() == 2
