"""What the compliance page, the API and the command read: the clauses of the versions in force,
each with its checks and their latest results, and each check's history for its trend."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from goodskin.compliance.models import CheckResult, CheckRun, MutantRun
from goodskin.compliance.registry import CHECKS, CLAUSES, DOCUMENTS, UNVERIFIED, clause_key
from goodskin.policies.documents import parse
from goodskin.policies.models import PolicyVersion, VersionStatus
from goodskin.policies.queries import version_in_force

TREND_RUNS = 30


@dataclass(frozen=True)
class ClauseInForce:
    key: str  # document:clause
    document: str
    version: int
    heading: str
    text: str  # English: the console is English only; empty for a generated block


def clauses_in_force() -> list[ClauseInForce]:
    """Every clause of the Privacy Policy and the State Privacy Notice as a visitor reads them
    today (the version in force for someone with no account)."""
    now = timezone.now()
    found = []
    for document in DOCUMENTS:
        version = version_in_force(person=None, at=now, document=document)
        if version is None:
            continue
        for section in parse(version.content):
            for clause in section.clauses:
                found.append(
                    ClauseInForce(
                        key=clause_key(document, clause.key),
                        document=document,
                        version=version.number or 0,
                        heading=section.heading["en"],
                        text=clause.text.get("en", "") if not clause.generated else "",
                    )
                )
    return found


def registry_keys_never_published() -> list[str]:
    """Registry keys that no published version of their document contains: refused."""
    published: set[str] = set()
    for document, content in PolicyVersion.objects.filter(
        status=VersionStatus.PUBLISHED, document__in=DOCUMENTS
    ).values_list("document", "content"):
        published |= {
            clause_key(document, clause.key)
            for section in parse(content)
            for clause in section.clauses
        }
    return sorted((set(CLAUSES) | set(UNVERIFIED)) - published)


@dataclass
class CheckLine:
    name: str
    promise: str
    passed: bool | None  # None: never run
    evidence: dict[str, object] = field(default_factory=dict)
    error: str = ""
    run_at: object = None
    trend: list[bool] = field(default_factory=list)  # oldest first, last TREND_RUNS results

    @property
    def trend_bars(self) -> list[tuple[int, str]]:
        """The trend as bars of a small chart (x, colour): teal passed, red failed."""
        return [
            (4 * index, "#1f5f5b" if passed else "#b3261e")
            for index, passed in enumerate(self.trend)
        ]

    @property
    def trend_width(self) -> int:
        return 4 * len(self.trend)


@dataclass
class ClauseLine:
    clause: ClauseInForce
    checks: list[CheckLine]
    unverified_because: str

    @property
    def state(self) -> str:
        if not self.checks:
            return "unverified"
        if any(line.passed is False for line in self.checks):
            return "failing"
        if any(line.passed is None for line in self.checks):
            return "not run"
        return "verified"


@dataclass
class Board:
    policy_version: int | None
    clauses: list[ClauseLine]
    last_run: CheckRun | None
    last_mutants: MutantRun | None

    @property
    def checks_proven_to_bite(self) -> int:
        """Checks a deliberate break of the code was caught by, in the last `make mutants`."""
        if self.last_mutants is None:
            return 0
        return len(set(self.last_mutants.bitten) & set(CHECKS))

    @property
    def checks(self) -> int:
        return len(CHECKS)

    def count(self, state: str) -> int:
        return sum(1 for line in self.clauses if line.state == state)

    @property
    def privacy_clauses(self) -> list[ClauseLine]:
        return [line for line in self.clauses if line.clause.document == "privacy"]


def _latest_lines() -> dict[str, CheckLine]:
    lines: dict[str, CheckLine] = {}
    for name, check in CHECKS.items():
        history = list(
            CheckResult.objects.filter(check_name=name)
            .select_related("run")
            .order_by("-run_id")[:TREND_RUNS]
        )
        latest = history[0] if history else None
        lines[name] = CheckLine(
            name=name,
            promise=check.promise,
            passed=latest.passed if latest else None,
            evidence=dict(latest.evidence) if latest else {},
            error=latest.error if latest else "",
            run_at=latest.run.started_at if latest else None,
            trend=[result.passed for result in reversed(history)],
        )
    return lines


ORDER = {"failing": 0, "not run": 1, "unverified": 2, "verified": 3}


def board() -> Board:
    """Every clause in force with its checks' latest results, failures first."""
    lines = _latest_lines()
    clauses = [
        ClauseLine(
            clause=clause,
            checks=[lines[name] for name in CLAUSES.get(clause.key, ())],
            unverified_because=UNVERIFIED.get(
                clause.key, "" if clause.key in CLAUSES else "No check is tied to this clause yet."
            ),
        )
        for clause in clauses_in_force()
    ]
    clauses.sort(key=lambda line: ORDER[line.state])
    privacy = next(
        (line.clause.version for line in clauses if line.clause.document == "privacy"), None
    )
    return Board(
        policy_version=privacy,
        clauses=clauses,
        last_run=CheckRun.objects.order_by("-started_at", "-pk").first(),
        last_mutants=MutantRun.objects.order_by("-finished_at", "-pk").first(),
    )
