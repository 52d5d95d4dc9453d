"""The evidence pack for a regulator or an auditor: over a period, the policy versions in force
and their clauses, each check's results, request metrics, incidents, disclosure counts and the
audit chain's head, as JSON, HTML and PDF, signed together with the clinic's Ed25519 key.

The signature covers a manifest of the three files' SHA-256 digests; the public key is written
beside them and printed inside each, with its fingerprint, so an auditor compares the fingerprint
with the one the clinic gave them and verifies the pack with one command
(`manage.py evidence_pack_verify FOLDER`, or any Ed25519 tool). The signing key is a system key
of the keyring (vault.keys.system_key): made on first use, wrapped and rotated with the others.
Nothing in a pack is about a person: counts, references and the policy's own words.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from goodskin.audit.models import ChainHead
from goodskin.compliance.models import CheckResult
from goodskin.compliance.registry import CHECKS, CLAUSES, DOCUMENTS, UNVERIFIED, clause_key
from goodskin.disclosures.models import Disclosure
from goodskin.incidents.models import AffectedPerson, Incident
from goodskin.policies.documents import parse
from goodskin.policies.models import PolicyVersion, VersionStatus
from goodskin.rights.metrics import Closed, table
from goodskin.rights.models import DataRequest
from goodskin.vault.keys import system_key

KEY_NAME = "evidence-pack-signing"
FILES = ("pack.json", "pack.html", "pack.pdf")
MANIFEST, SIGNATURE, PUBLIC_KEY = "MANIFEST.sha256", "SIGNATURE.ed25519", "PUBLIC_KEY.pem"
FAILURES_SHOWN = 50


class PackRefused(ValueError):
    """A period that cannot be packed, in words that say what to give instead."""


def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(system_key(KEY_NAME))


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()
    return ":".join(digest[index : index + 4] for index in range(0, 32, 4))


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    if end < start:
        raise PackRefused("The period ends before it starts: give --from before --to.")
    if start > timezone.localdate():
        raise PackRefused("The period starts in the future: give a --from of today or earlier.")
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _versions(since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Versions of the two documents that were in force for anyone during the period: published
    before it ended, and not replaced by a version in force before it began."""
    found = []
    for document in DOCUMENTS:
        published = list(
            PolicyVersion.objects.filter(
                document=document, status=VersionStatus.PUBLISHED, published_at__lt=until
            ).order_by("number")
        )
        for index, version in enumerate(published):
            following = published[index + 1] if index + 1 < len(published) else None
            if following is not None and following.published_at <= since:  # type: ignore[operator]  # set when published
                continue
            clauses = [
                {
                    "key": clause_key(document, clause.key),
                    "text": clause.text.get("en", "") if not clause.generated else "",
                    "generated": clause.generated,
                    "checks": list(CLAUSES.get(clause_key(document, clause.key), ())),
                    "unverified_because": UNVERIFIED.get(clause_key(document, clause.key), ""),
                }
                for section in parse(version.content)
                for clause in section.clauses
            ]
            found.append(
                {
                    "document": document,
                    "number": version.number,
                    "published_at": version.published_at.isoformat()
                    if version.published_at
                    else None,
                    "material": version.material,
                    "clauses": clauses,
                }
            )
    return found


def _checks(since: datetime, until: datetime) -> list[dict[str, Any]]:
    results = CheckResult.objects.filter(run__started_at__gte=since, run__started_at__lt=until)
    counts = {
        (row["check_name"], row["passed"]): row["n"]
        for row in results.values("check_name", "passed").annotate(n=Count("pk"))
    }
    lines = []
    for name, check in sorted(CHECKS.items()):
        failures = [
            {
                "at": result.run.started_at.isoformat(),
                "error": result.error,
                "evidence": result.evidence,
            }
            for result in results.filter(check_name=name, passed=False)
            .select_related("run")
            .order_by("run__started_at")[:FAILURES_SHOWN]
        ]
        lines.append(
            {
                "check": name,
                "promise": check.promise,
                "runs": counts.get((name, True), 0) + counts.get((name, False), 0),
                "passed": counts.get((name, True), 0),
                "failed": counts.get((name, False), 0),
                "failures": failures,
            }
        )
    return lines


def _requests(since: datetime, until: datetime) -> dict[str, Any]:
    received = [
        Closed(kind=kind, state=state, status=status, received_on=on, closed_on=closed)
        for kind, state, status, on, closed in DataRequest.objects.filter(
            received_on__gte=since.date(), received_on__lt=until.date(), duplicate_of__isnull=True
        ).values_list("kind", "state", "status", "received_on", "closed_on")
    ]
    return {
        "received": len(received),
        "by_kind": [row.__dict__ for row in table(received, by="kind")],
        "by_state": [row.__dict__ for row in table(received, by="state")],
    }


def _incidents(since: datetime, until: datetime) -> dict[str, Any]:
    opened = Incident.objects.filter(discovered_at__gte=since, discovered_at__lt=until)
    notified = AffectedPerson.objects.filter(notified_at__gte=since, notified_at__lt=until)
    return {
        "discovered": opened.count(),
        "people_notified": notified.count(),
        "substitute_notices_posted": Incident.objects.filter(
            posted_at__gte=since, posted_at__lt=until
        ).count(),
    }


def _disclosures(since: datetime, until: datetime) -> dict[str, int]:
    return dict(
        Counter(
            Disclosure.objects.filter(disclosed_at__gte=since, disclosed_at__lt=until).values_list(
                "kind", flat=True
            )
        )
    )


def gather(start: date, end: date, *, now: datetime | None = None) -> dict[str, Any]:
    since, until = _bounds(start, end)
    head = ChainHead.objects.filter(pk=1).first()
    key = signing_key().public_key()
    return {
        "title": "GoodSkin Clinics: evidence that the published privacy policy was kept",
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "written_at": (now or timezone.now()).isoformat(),
        "public_key_fingerprint": fingerprint(key),
        "public_key": public_key_pem(key),
        "versions": _versions(since, until),
        "checks": _checks(since, until),
        "unverified": dict(sorted(UNVERIFIED.items())),
        "requests": _requests(since, until),
        "incidents": _incidents(since, until),
        "disclosures": _disclosures(since, until),
        "audit_chain": {
            "entries": head.last_sequence if head else 0,
            "head_hash": head.last_hash if head else "",
        },
    }


def render_html(pack: dict[str, Any]) -> str:
    return render_to_string("compliance/evidence_pack.html", {"pack": pack})


def render_pdf(pack: dict[str, Any]) -> bytes:
    """The same contents as the HTML, laid out by ReportLab (no browser, no system fonts)."""
    from reportlab.lib import colors  # noqa: PLC0415  (loaded only to write a pack)
    from reportlab.lib.pagesizes import LETTER  # noqa: PLC0415
    from reportlab.lib.styles import getSampleStyleSheet  # noqa: PLC0415
    from reportlab.lib.units import inch  # noqa: PLC0415
    from reportlab.platypus import (  # noqa: PLC0415
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )
    from reportlab.platypus.flowables import Preformatted  # noqa: PLC0415

    styles = getSampleStyleSheet()
    body, heading, small = styles["BodyText"], styles["Heading2"], styles["Code"]

    def text(value: object) -> Paragraph:
        escaped = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(escaped, body)

    def grid(rows: list[list[object]], widths: list[float]) -> Table:
        made = Table([[text(cell) for cell in row] for row in rows], colWidths=widths, repeatRows=1)
        made.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e7e2da")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return made

    story: list[Any] = [
        Paragraph(pack["title"], styles["Title"]),
        text(
            f"Period: {pack['period']['from']} to {pack['period']['to']}. "
            f"Written {pack['written_at']}."
        ),  # fmt: skip
        text(f"Signed with Ed25519. Public key fingerprint: {pack['public_key_fingerprint']}"),
        Preformatted(pack["public_key"], small),
        Paragraph("Checks over the period", heading),
        grid(
            [["Check", "Runs", "Passed", "Failed"]]
            + [[c["check"], c["runs"], c["passed"], c["failed"]] for c in pack["checks"]],
            [3.6 * inch, 0.8 * inch, 0.8 * inch, 0.8 * inch],
        ),
        Paragraph("Versions in force and their clauses", heading),
    ]
    for version in pack["versions"]:
        story.append(text(f"{version['document']} version {version['number']}, published "
                          f"{version['published_at']}"))  # fmt: skip
        story.append(
            grid(
                [["Clause", "Checks, or why unverified"]]
                + [
                    [c["key"], ", ".join(c["checks"]) or c["unverified_because"]]
                    for c in version["clauses"]
                ],
                [2.2 * inch, 3.8 * inch],
            )
        )
        story.append(Spacer(1, 8))
    story += [
        Paragraph("Privacy requests received in the period", heading),
        grid(
            [["Kind", "Received", "Complied", "Denied", "Median days"]]
            + [
                [r["group"], r["received"], r["complied"], r["denied"], r["median_days"]]
                for r in pack["requests"]["by_kind"]
            ],
            [2.2 * inch, 0.9 * inch, 0.9 * inch, 0.9 * inch, 1.1 * inch],
        ),
        Paragraph("Incidents and disclosures", heading),
        text(
            f"Incidents discovered: {pack['incidents']['discovered']}; people notified: "
            f"{pack['incidents']['people_notified']}; substitute notices posted: "
            f"{pack['incidents']['substitute_notices_posted']}. Disclosures by kind: "
            + (", ".join(f"{k} {v}" for k, v in sorted(pack["disclosures"].items())) or "none")
        ),
        Paragraph("Audit log", heading),
        text(
            f"{pack['audit_chain']['entries']} entries; the chain's head hash is "
            f"{pack['audit_chain']['head_hash'] or '(empty)'}."
        ),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=LETTER, title=pack["title"]).build(story)
    return out.getvalue()


@dataclass(frozen=True)
class Written:
    folder: Path
    fingerprint: str


def manifest_of(folder: Path) -> bytes:
    return "".join(
        f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}\n" for name in FILES
    ).encode()


def write(pack: dict[str, Any], folder: Path) -> Written:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.json").write_text(json.dumps(pack, indent=2, sort_keys=True, default=str))
    (folder / "pack.html").write_text(render_html(pack))
    (folder / "pack.pdf").write_bytes(render_pdf(pack))
    key = signing_key()
    manifest = manifest_of(folder)
    (folder / MANIFEST).write_bytes(manifest)
    (folder / SIGNATURE).write_text(base64.b64encode(key.sign(manifest)).decode() + "\n")
    (folder / PUBLIC_KEY).write_text(public_key_pem(key.public_key()))
    return Written(folder, fingerprint(key.public_key()))


def problems(folder: Path, *, expected_key: Path | None = None) -> list[str]:
    """What is wrong with a pack: a file changed, missing, or a signature that does not verify
    under its key (or under the key the auditor was given). Empty when it verifies."""
    missing = [
        name for name in (*FILES, MANIFEST, SIGNATURE, PUBLIC_KEY) if not (folder / name).exists()
    ]
    if missing:
        return [f"missing: {', '.join(missing)}"]
    found = []
    if manifest_of(folder) != (folder / MANIFEST).read_bytes():
        found.append("a file was changed after signing: its digest is not the manifest's")
    key_file = expected_key or folder / PUBLIC_KEY
    key = serialization.load_pem_public_key(key_file.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        return [*found, f"{key_file.name} is not an Ed25519 public key"]
    try:
        key.verify(
            base64.b64decode((folder / SIGNATURE).read_text()), (folder / MANIFEST).read_bytes()
        )
    except (InvalidSignature, ValueError):
        found.append("the signature does not verify under the public key")
    return found
