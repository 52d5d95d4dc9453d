# ruff: noqa: E501  (the mutants quote lines of code, which are as long as they are)
"""`make mutants`: proof that the policy's checks bite.

Each mutant is a deliberate break of the code that keeps a promise (keep the full IP address,
skip the opt-out check, keep the key on erasure, …). For each, a copy of the project is made,
the break is applied, and the scenario of goodskin/compliance/tests/test_promises_kept.py that
exercises the promise is run in the copy. The mutant is caught only when the scenario fails
*through the named check* (its assertion names the check); a scenario that still passes, or
that fails some other way, means the check did not catch the break, and the target fails.
The scenarios are first run on the unbroken copy: they must pass there.

    .venv/bin/python scripts/mutants.py            # every mutant
    .venv/bin/python scripts/mutants.py --quick    # CI's time-boxed subset
    .venv/bin/python scripts/mutants.py --only keep-the-full-ip-address

The result is kept (compliance.MutantRun) in the database the settings name, and the
compliance page shows "each check proven to bite: M of N" from the last run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = "goodskin/compliance/tests/test_promises_kept.py"


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    # (code as it is, code broken), each found once in `file`; or (other file, as it is, broken)
    edits: tuple[tuple[str, ...], ...]
    scenario: str  # a test of SCENARIOS, or a whole test id ("path::name")
    check: str  # the check that must catch it
    quick: bool = False  # in CI's subset


MUTANTS = (
    Mutant(
        "keep-the-full-ip-address",
        "goodskin/core/network.py",
        (
            (
                "        return str(ipaddress.IPv4Address(int(ip) & _IPV4_24))",
                "        return str(ip)",
            ),
        ),
        "test_a_visitors_beacon_keeps_only_a_shortened_address",
        "analytics_keep_no_full_address",
        quick=True,
    ),
    Mutant(
        "skip-the-send-time-opt-out-checks",
        "goodskin/communications/delivery.py",
        (  # the person's choice and the suppression list both ignored at the moment of sending
            (
                '    if not wanted:\n        return Status.SUPPRESSED, "The person has not chosen',
                '    if False:\n        return Status.SUPPRESSED, "The person has not chosen',
            ),
            ("    if reason is not None:\n", "    if False:\n"),
        ),
        "test_after_an_opt_out_no_marketing_goes_but_the_password_reset_does",
        "no_marketing_without_a_choice_to_receive_it",
        quick=True,
    ),
    Mutant(
        "hold-back-essential-mail-after-an-opt-out",
        "goodskin/communications/delivery.py",
        (  # a marketing opt-out wrongly applied to essential mail
            (
                "    if message.kind == Kind.ESSENTIAL and message.topic != Topic.REMINDERS:\n        return None\n",
                "    if message.kind == Kind.ESSENTIAL and message.person is not None and not any(\n"
                "        facts.choices.get((message.person.pk, topic, message.channel))\n"
                '        for topic in ("offers", "newsletter")\n'
                "    ):\n"
                '        return Status.SUPPRESSED, "The person opted out"\n'
                "    if message.kind == Kind.ESSENTIAL and message.topic != Topic.REMINDERS:\n        return None\n",
            ),
        ),
        "test_after_an_opt_out_no_marketing_goes_but_the_password_reset_does",
        "essential_mail_reaches_opted_out_people",
    ),
    Mutant(
        "keep-the-key-on-erasure",
        "goodskin/vault/keys.py",
        (
            (
                "    deleted, _ = PersonKey.objects.using(KEYRING).filter(key_id=key_id).delete()\n",
                "    deleted = 1\n",
            ),
        ),
        "test_an_erased_person_has_no_key_and_a_journal_entry",
        "erased_people_stay_erased",
        quick=True,
    ),
    Mutant(
        "break-the-audit-chain",
        "goodskin/audit/actions.py",
        (('"previous_hash": last_hash,', '"previous_hash": GENESIS_HASH,'),),
        "test_an_erased_person_has_no_key_and_a_journal_entry",
        "audit_chain_is_intact",
    ),
    Mutant(
        "ignore-gpc",
        "goodskin/consent/actions.py",
        (  # both places that keep marketing off under GPC
            (
                "    opted_out = Choices(current.preferences, current.analytics, False)",
                "    opted_out = Choices(current.preferences, current.analytics, True)",
            ),
            (
                "    if state.gpc:\n        choices = Choices(choices.preferences, choices.analytics, False)\n",
                "",
            ),
        ),
        "test_a_browser_that_sends_gpc_is_recorded_as_opted_out",
        "gpc_is_honoured",
    ),
    Mutant(
        "export-below-k",
        "goodskin/disclosures/actions.py",
        (("    k: int = DEFAULT_K,\n    max_suppressed", "    k: int = 2,\n    max_suppressed"),),
        "test_a_disclosure_and_a_deidentified_export_are_logged_with_their_k",
        "deidentified_exports_meet_their_k",
    ),
    Mutant(
        "disclose-without-an-audit-entry",
        "goodskin/disclosures/actions.py",
        (  # the disclosure's own entry and each person's no longer name it
            (
                '        target=disclosure,\n        data={"kind": kind, "recipient": recipient.slug, "people"',
                '        data={"kind": kind, "recipient": recipient.slug, "people"',
            ),
            (
                "            subject=person,\n            target=disclosure,\n",
                "            subject=person,\n",
            ),
        ),
        "test_a_disclosure_and_a_deidentified_export_are_logged_with_their_k",
        "every_disclosure_is_logged",
    ),
    Mutant(
        "ignore-a-legal-hold",
        "goodskin/retention/actions.py",
        (("        holding = list(holds_on_person(person))\n", "        holding = []\n"),),
        "test_a_person_under_a_legal_hold_who_asks_to_be_erased_waits_for_its_release",
        "legal_holds_keep_what_they_hold",
        quick=True,
    ),
    Mutant(
        "give-requests-longer-than-the-law",
        "goodskin/jurisdictions/deadlines.py",
        (
            (
                "    response = received + timedelta(days=rules.response_days)\n",
                "    response = received + timedelta(days=rules.response_days + 14)\n",
            ),
        ),
        "test_a_request_answered_today_is_due_no_later_than_its_state_allows",
        "privacy_requests_are_answered_in_time",
    ),
    Mutant(
        "load-a-script-from-another-origin",
        "templates/base.html",
        (
            (
                "</head>",
                '<script src="https://www.googletagmanager.com/gtag/js?id=G-MUTANT"></script></head>',
            ),
            (
                "config/settings.py",
                '    "script-src": [CSP.SELF],',
                '    "script-src": [CSP.SELF, "https://www.googletagmanager.com"],',
            ),
        ),
        "tests/browser/test_compliance_in_browser.py::test_the_crawl_opens_every_page_in_each_consent_state_and_finds_only_what_is_declared",
        "pages_set_only_declared_cookies_and_load_nothing_from_elsewhere",
    ),
    Mutant(
        "let-minors-register",
        "goodskin/accounts/actions.py",
        (
            (
                "    if is_adult(born=date_of_birth, today=today):\n        return False\n",
                "    if True:\n        return False\n",
            ),
        ),
        "test_a_sixteen_year_old_cannot_open_an_account_and_an_adult_can",
        "account_holders_were_adults_when_they_registered",
        quick=True,
    ),
    Mutant(
        "tell-only-confirmed-addresses-of-a-material-change",
        "goodskin/policies/queries.py",
        (
            (
                "        User.objects.filter(date_joined__lte=at, is_staff=False)\n",
                "        User.objects.filter(date_joined__lte=at, is_staff=False, email_verified_at__isnull=False)\n",
            ),
        ),
        "test_every_account_holder_is_told_of_a_material_change",
        "material_changes_reach_every_account_holder",
    ),
    Mutant(
        "treat-do-not-track-as-an-opt-out",
        "goodskin/consent/middleware.py",
        (
            (
                "        state.gpc\n        and not state.gpc_recorded\n",
                "        (state.gpc or state.dnt)\n        and not state.gpc_recorded\n",
            ),
        ),
        "test_a_browser_that_sends_do_not_track_is_not_opted_out_for_it",
        "dnt_is_recorded_and_not_acted_on",
    ),
    Mutant(
        "leave-email-addresses-off-the-public-list",
        "goodskin/vault/summary.py",
        (
            (
                '        if category.startswith("system."):\n',
                '        if category.startswith("system.") or category == "user.contact.email":\n',
            ),
        ),
        "test_the_public_list_names_every_kind_of_information_the_data_map_declares",
        "public_lists_match_the_data_map",
    ),
    Mutant(
        "retention-run-removes-nothing",
        "goodskin/retention/purge.py",
        (
            (
                "    if dry_run:\n        report.counts[target.label]",
                "    if True:\n        return\n    if dry_run:\n        report.counts[target.label]",
            ),
        ),
        "test_the_retention_run_leaves_nothing_past_its_rule",
        "nothing_is_kept_past_its_retention",
    ),
)


def copy_of_the_project(into: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return into


def run_scenarios(copy: Path, tests: list[str]) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    environment["GOODSKIN_VAR_DIR"] = str(copy / "var")
    return subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
            "--tb=line", *[test_id(test) for test in tests],
        ],
        cwd=copy, env=environment, capture_output=True, text=True, check=False,
    )  # fmt: skip


def edits_by_file(mutant: Mutant) -> list[tuple[str, str, str]]:
    return [edit if len(edit) == 3 else (mutant.file, *edit) for edit in mutant.edits]  # type: ignore[misc]


def apply(copy: Path, mutant: Mutant) -> None:
    for file, old, new in edits_by_file(mutant):
        path = copy / file
        text = path.read_text()
        found = text.count(old)
        if found != 1:
            raise SystemExit(
                f"mutants: {mutant.name}: the code to break occurs {found} times in "
                f"{file} (once expected); update the mutant in scripts/mutants.py"
            )
        path.write_text(text.replace(old, new))


def test_id(scenario: str) -> str:
    return scenario if "::" in scenario else f"{SCENARIOS}::{scenario}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only CI's subset")
    parser.add_argument("--only", default="", help="comma-separated mutant names")
    chosen = parser.parse_args()
    names = {name for name in chosen.only.split(",") if name}
    unknown = names - {mutant.name for mutant in MUTANTS}
    if unknown:
        print(f"mutants: unknown {', '.join(sorted(unknown))}; the mutants are: "
              f"{', '.join(mutant.name for mutant in MUTANTS)}")  # fmt: skip
        return 2
    mutants = [
        mutant
        for mutant in MUTANTS
        if (not names or mutant.name in names) and (mutant.quick or not chosen.quick)
    ]
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="goodskin-mutants-") as scratch:
        pristine = copy_of_the_project(Path(scratch) / "pristine")
        baseline = run_scenarios(pristine, sorted({mutant.scenario for mutant in mutants}))
        if baseline.returncode != 0:
            print("mutants: the scenarios fail on the unbroken code:\n" + baseline.stdout[-3000:])
            return 1
        killed: list[tuple[str, str]] = []
        survivors: list[str] = []
        for number, mutant in enumerate(mutants, start=1):
            clock = time.monotonic()
            copy = Path(scratch) / f"mutant-{number}"
            shutil.copytree(pristine, copy, ignore=shutil.ignore_patterns("var"))
            apply(copy, mutant)
            result = run_scenarios(copy, [mutant.scenario])
            caught = result.returncode != 0 and f"{mutant.check}:" in result.stdout
            (
                killed.append((mutant.name, mutant.check))
                if caught
                else survivors.append(mutant.name)
            )
            verdict = "caught by" if caught else "SURVIVED"
            print(f"mutant {number}/{len(mutants)} {mutant.name}: {verdict} {mutant.check} "
                  f"({time.monotonic() - clock:.0f} s)", flush=True)  # fmt: skip
            shutil.rmtree(copy)
    _keep(started, "quick" if chosen.quick else "full", killed, survivors)
    checks = {mutant.check for mutant in mutants}
    print(
        f"mutants: {len(killed)} of {len(mutants)} caught; checks proven to bite: "
        f"{len({check for _, check in killed})} of {len(checks)} checks with a mutant"
    )
    return 1 if survivors else 0


def _keep(
    started: datetime, scope: str, killed: list[tuple[str, str]], survivors: list[str]
) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415  (only once the scenarios have run in their copies)

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    from goodskin.compliance.actions import record_mutant_run  # noqa: PLC0415
    from goodskin.core.context import Actor, acting_as  # noqa: PLC0415

    call_command("migrate", "--no-input", verbosity=0)
    with acting_as(Actor.system("mutants")):
        record_mutant_run(started_at=started, scope=scope, killed=killed, survivors=survivors)


if __name__ == "__main__":
    sys.exit(main())
