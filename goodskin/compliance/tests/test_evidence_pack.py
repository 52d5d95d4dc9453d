"""The evidence pack: signed JSON, HTML and PDF over a period; one command verifies it; a changed
file or another key fails; bad dates are refused with a line that says what to give; and
nothing in it is about a person, even when a check failed because of one."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.utils import timezone

from goodskin.accounts.tests.conftest import make_staff
from goodskin.accounts.tests.signing_in import StaffClient
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry, ChainHead
from goodskin.compliance.actions import verify
from goodskin.compliance.evidence import FILES, public_key_pem
from goodskin.compliance.models import Trigger
from goodskin.compliance.tests.test_verify_policy import marketing_sent_after_opting_out

pytestmark = pytest.mark.django_db(databases=["default", "keyring"])


def write_pack(folder: Path, days: int = 7) -> str:
    today = timezone.localdate()
    out = io.StringIO()
    call_command(
        "evidence_pack",
        "--from", str(today - timedelta(days=days)), "--to", str(today), "--out", str(folder),
        stdout=out,
    )  # fmt: skip
    return out.getvalue()


def verifies(folder: Path, *extra: str) -> bool:
    """The command's answer: True on exit 0, False on exit 1 (anything else fails the test)."""
    try:
        call_command("evidence_pack_verify", str(folder), *extra, stdout=io.StringIO(),
                     stderr=io.StringIO())  # fmt: skip
    except SystemExit as exit_code:
        code = exit_code.code
    else:
        code = 0
    assert code in {0, 1}
    return code == 0


def test_a_pack_holds_the_period_the_checks_and_the_chain_head_and_its_signature_verifies(
    tmp_path: Path,
) -> None:
    marketing_sent_after_opting_out()
    verify(trigger=Trigger.COMMAND)
    verify(trigger=Trigger.COMMAND)
    head = ChainHead.objects.get(pk=1)
    said = write_pack(tmp_path)

    pack = json.loads((tmp_path / "pack.json").read_text())
    marketing = next(
        line
        for line in pack["checks"]
        if line["check"] == "no_marketing_without_a_choice_to_receive_it"
    )
    assert (marketing["runs"], marketing["passed"], marketing["failed"]) == (2, 0, 2)
    assert marketing["failures"][0]["evidence"]["switched_off_before"] == 1
    # The head as it was when the pack was gathered; writing it is itself the next entry.
    assert pack["audit_chain"] == {"entries": head.last_sequence, "head_hash": head.last_hash}
    assert ChainHead.objects.get(pk=1).last_sequence == head.last_sequence + 1
    assert [(v["document"], v["number"]) for v in pack["versions"]] == [
        ("privacy", 1),
        ("state_notice", 1),
    ]
    assert pack["public_key_fingerprint"] in said
    assert pack["public_key_fingerprint"] in (tmp_path / "pack.html").read_text()
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF-")
    assert verifies(tmp_path)
    assert AuditEntry.objects.filter(event=Event.EVIDENCE_PACK_WRITTEN).count() == 1
    for name in FILES:  # the person behind the failure is named nowhere
        assert b"rosa" not in (tmp_path / name).read_bytes()


@pytest.mark.parametrize("changed", FILES)
def test_a_file_changed_after_signing_fails_verification(tmp_path: Path, changed: str) -> None:
    write_pack(tmp_path)
    with (tmp_path / changed).open("ab") as file:
        file.write(b" ")
    assert not verifies(tmp_path)


def test_a_pack_signed_by_another_key_fails_against_the_clinics_key(tmp_path: Path) -> None:
    write_pack(tmp_path / "ours")
    clinic_key = tmp_path / "clinic.pem"
    clinic_key.write_text((tmp_path / "ours" / "PUBLIC_KEY.pem").read_text())
    assert verifies(tmp_path / "ours", "--public-key", str(clinic_key))

    impostor = Ed25519PrivateKey.generate()
    (tmp_path / "ours" / "PUBLIC_KEY.pem").write_text(public_key_pem(impostor.public_key()))
    assert not verifies(tmp_path / "ours")  # the shipped key no longer matches the signature
    assert verifies(tmp_path / "ours", "--public-key", str(clinic_key))


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        ("2026-13-01", "2026-12-31", "'2026-13-01' is not a date: write it like 2026-01-31"),
        ("2026-12-31", "2026-12-01", "The period ends before it starts"),
        ("2999-01-01", "2999-01-02", "The period starts in the future"),
    ],
)
def test_bad_dates_are_refused_with_what_to_give_and_nothing_is_written(
    tmp_path: Path, start: str, end: str, said: str
) -> None:
    with pytest.raises(CommandError, match=said.replace("(", r"\(")):
        call_command("evidence_pack", "--from", start, "--to", end, "--out", str(tmp_path / "p"))
    assert not (tmp_path / "p").exists()
    assert AuditEntry.objects.filter(event=Event.EVIDENCE_PACK_WRITTEN).count() == 0


def test_the_console_downloads_a_signed_pack_and_refuses_bad_dates_on_the_page(
    tmp_path: Path,
) -> None:
    auditor = StaffClient()
    auditor.force_login(make_staff("Auditor", email="auditor@goodskinclinics.com"))
    today = timezone.localdate()
    answer = auditor.get(
        "/console/compliance/evidence/", {"from": str(today - timedelta(days=3)), "to": str(today)}
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        archive.extractall(tmp_path)
    (folder,) = list(tmp_path.iterdir())
    assert verifies(folder)

    refused = auditor.get("/console/compliance/evidence/", {"from": "soon", "to": str(today)})
    assert refused.status_code == 400
    assert "Give both dates, like 2026-01-31." in refused.content.decode()
    assert AuditEntry.objects.filter(event=Event.EVIDENCE_PACK_WRITTEN).count() == 1
