"""manage.py verify_policy [--clause KEY ...] [--json]: run the checks that verify the published
policy against the running system. Exit 0 when every check passed, 1 when any failed (or
crashed), 2 when asked for a clause the registry does not know or the registry names a clause
no published version has."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from goodskin.compliance.actions import verify
from goodskin.compliance.models import Trigger
from goodskin.compliance.queries import board, registry_keys_never_published
from goodskin.compliance.registry import CHECKS, CLAUSES
from goodskin.core.context import Actor, acting_as


class Command(BaseCommand):
    help = "Verify the published privacy policy against what the system actually does."
    capability = "compliance.view_compliance"  # reads, and records only its own results

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clause", action="append", default=[], metavar="KEY")
        parser.add_argument("--json", action="store_true", help="print the results as JSON")
        parser.add_argument(
            "--nightly", action="store_true", help="(the periodic job) record the run as nightly"
        )
        parser.add_argument(
            "--quick", action="store_true", help="leave out the slow checks (the browser crawl)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unknown = [key for key in options["clause"] if key not in CLAUSES]
        if unknown:
            self.stderr.write(
                f"verify_policy: no checks for clause {', '.join(unknown)}; the verified clauses "
                f"are: {', '.join(sorted(CLAUSES))}"
            )
            raise SystemExit(2)
        never = registry_keys_never_published()
        if never:
            self.stderr.write(
                f"verify_policy: the registry names clauses no published version has: "
                f"{', '.join(never)}; fix goodskin/compliance/registry.py"
            )
            raise SystemExit(2)
        current = board()
        trigger = Trigger.NIGHTLY if options["nightly"] else Trigger.COMMAND
        with acting_as(Actor.system("compliance")):
            run = verify(
                trigger=trigger,
                clauses=options["clause"] or None,
                policy_version=current.policy_version or 0,
                slow=not options["quick"],
            )
        results = list(run.results.order_by("check_name"))
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "run": run.pk,
                        "policy_version": run.policy_version,
                        "checks": [
                            {
                                "check": result.check_name,
                                "passed": result.passed,
                                "evidence": result.evidence,
                                "error": result.error,
                                "took_ms": result.took_ms,
                            }
                            for result in results
                        ],
                    },
                    indent=2,
                )
            )
        else:
            for result in results:
                mark = "pass" if result.passed else "FAIL"
                detail = result.error or ", ".join(
                    f"{key} {value}"
                    for key, value in result.evidence.items()
                    if isinstance(value, int)
                )
                self.stdout.write(f"{mark}  {result.check_name}: {detail}")
            after = board()
            self.stdout.write(
                f"Privacy Policy version {after.policy_version}: "
                f"{sum(1 for line in after.privacy_clauses if line.state == 'verified')} of "
                f"{len(after.privacy_clauses)} clauses verified; {run.checks_failed} of "
                f"{run.checks_run} checks failed; {after.count('unverified')} clauses in force "
                f"have no check ({len(CHECKS)} checks in the registry)."
            )
        # The nightly job reports failures by email and on the compliance page; exiting would
        # end the task worker's run of it as a crash.
        if run.checks_failed and not options["nightly"]:
            raise SystemExit(1)
