"""Running the checks and keeping what they found: one run row, one result per check, and the
alert per failing clause that tells the privacy officer once (not every night) until it passes."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions.outbox import queue_essential_email
from goodskin.compliance.models import CheckResult, CheckRun, ClauseAlert, MutantRun, Trigger
from goodskin.compliance.registry import CHECKS, CLAUSES, Outcome
from goodskin.vault.actions import person_for_email


@dataclass(frozen=True)
class Judged:
    name: str
    outcome: Outcome
    error: str
    took_ms: int


def _run_one(name: str, now: datetime) -> Judged:
    """A check that crashes has failed, with the exception's class and where it was raised; it is
    never counted as passed, and never stops the checks after it."""
    started = time.perf_counter()
    try:
        outcome = CHECKS[name].run(now)
        error = ""
    except Exception as crash:  # noqa: BLE001  (any crash is a failed check, reported)
        frame = traceback.extract_tb(crash.__traceback__)[-1]
        where = f"{frame.filename.rsplit('/goodskin/', 1)[-1]}:{frame.lineno}"
        outcome, error = Outcome(False, {}), f"{type(crash).__name__} at {where}"
    took = int((time.perf_counter() - started) * 1000)
    return Judged(name, outcome, error, took)


def checks_for(clauses: Iterable[str]) -> list[str]:
    names: list[str] = []
    for clause in clauses:
        names += [name for name in CLAUSES[clause] if name not in names]
    return names


def verify(
    *,
    trigger: Trigger,
    clauses: Iterable[str] | None = None,
    policy_version: int = 0,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
    slow: bool = True,
) -> CheckRun:
    """Run the checks of `clauses` (all of them by default), store every result, and alert the
    privacy officer about clauses that have just started failing. Each check runs outside any
    transaction of ours (they only read); the results are written together at the end."""
    now = now or timezone.now()
    slow = slow and settings.COMPLIANCE_SLOW_CHECKS
    wanted = list(clauses) if clauses is not None else list(CLAUSES)
    judged = []
    for name in checks_for(wanted):
        if not slow and CHECKS[name].slow:
            continue  # not run is not passed: the page shows its last result and when
        if progress is not None:
            progress(name)
        judged.append(_run_one(name, now))
    with transaction.atomic():
        run = CheckRun.objects.create(
            started_at=now,
            finished_at=timezone.now(),
            trigger=trigger,
            policy_version=policy_version,
            checks_run=len(judged),
            checks_failed=sum(1 for item in judged if not item.outcome.passed),
        )
        CheckResult.objects.bulk_create(
            CheckResult(
                run=run,
                check_name=item.name,
                passed=item.outcome.passed,
                evidence=item.outcome.evidence,
                error=item.error,
                took_ms=item.took_ms,
            )
            for item in judged
        )
        failed = {item.name for item in judged if not item.outcome.passed}
        _alert(run, wanted, failed, ran={item.name for item in judged})
        record(
            Event.POLICY_VERIFIED,
            target=run,
            data={"checks": run.checks_run, "failed": run.checks_failed, "trigger": trigger},
        )
    return run


def _alert(run: CheckRun, clauses: list[str], failed: set[str], *, ran: set[str]) -> None:
    failing = {clause: [n for n in CLAUSES[clause] if n in failed] for clause in clauses}
    failing = {clause: names for clause, names in failing.items() if names}
    # A clause is cleared only by a run that ran all of its checks and saw them pass.
    passing = [c for c in clauses if c not in failing and set(CLAUSES[c]) <= ran]
    ClauseAlert.objects.filter(clause__in=passing).delete()
    known = set(ClauseAlert.objects.filter(clause__in=failing).values_list("clause", flat=True))
    new = [clause for clause in failing if clause not in known]
    if not new:
        return
    ClauseAlert.objects.bulk_create(
        ClauseAlert(clause=clause, failing_since=run.started_at, emailed_at=run.started_at)
        for clause in new
    )
    context: dict[str, Any] = {
        "run": run,
        "clauses": [{"clause": clause, "checks": failing[clause]} for clause in new],
    }
    queue_essential_email(
        person=person_for_email(email=settings.PRIVACY_OFFICER_EMAIL),
        template="compliance/email/failing",
        language="en",
        context=context,
        dedupe_key=f"compliance-failing:{run.pk}",
    )
    record(Event.CLAUSE_FAILING, target=run, data={"clauses": len(new)})


def record_evidence_pack(*, start: date, end: date, checks: int) -> None:
    """A pack was written: which period, never what it holds (that is in the signed files)."""
    record(Event.EVIDENCE_PACK_WRITTEN, data={"from": str(start), "to": str(end), "checks": checks})


def record_mutant_run(
    *,
    started_at: datetime,
    scope: str,
    killed: list[tuple[str, str]],
    survivors: list[str],
) -> MutantRun:
    """Keep what `make mutants` found: `killed` pairs each caught mutant with the check that
    caught it."""
    with transaction.atomic():
        run = MutantRun.objects.create(
            started_at=started_at,
            finished_at=timezone.now(),
            scope=scope,
            mutants=len(killed) + len(survivors),
            killed=len(killed),
            survivors=sorted(survivors),
            bitten=sorted({check for _, check in killed}),
        )
        record(
            Event.MUTANTS_RUN,
            target=run,
            data={"mutants": run.mutants, "killed": run.killed, "scope": scope},
        )
    return run
