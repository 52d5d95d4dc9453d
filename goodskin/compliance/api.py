"""`GET /api/v1/compliance`: the clauses of the policy in force, each verified, failing or
unverified (with why), and each check's latest result with its evidence, for the auditor."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema

from goodskin.compliance.queries import board
from goodskin.core.doors import Door, declares

router = Router(tags=["compliance"])
COMPLIANCE = Door(see="compliance.view_compliance")


class CheckOut(Schema):
    check: str
    promise: str
    passed: bool | None
    evidence: dict[str, object]
    error: str
    run_at: str | None


class ClauseOut(Schema):
    clause: str
    version: int
    state: str
    text: str
    unverified_because: str
    checks: list[CheckOut]


class ComplianceOut(Schema):
    policy_version: int | None
    clauses_in_force: int
    verified: int
    failing: int
    unverified: int
    not_run: int
    last_run: str | None
    checks: int
    checks_proven_to_bite: int
    clauses: list[ClauseOut]


@router.get("/compliance", response={200: ComplianceOut, 403: dict[str, str]})
@declares(COMPLIANCE)
def compliance(request: HttpRequest) -> object:
    """Staff whose role includes seeing compliance (the privacy officer, the auditor, security):
    every clause of the Privacy Policy and State Privacy Notice in force, failures first."""
    if not COMPLIANCE.lets(request.user, "GET"):
        return JsonResponse(
            {"detail": "Staff whose role includes seeing compliance only: sign in first."},
            status=403,
        )
    current = board()
    return {
        "policy_version": current.policy_version,
        "clauses_in_force": len(current.clauses),
        "verified": current.count("verified"),
        "failing": current.count("failing"),
        "unverified": current.count("unverified"),
        "not_run": current.count("not run"),
        "last_run": current.last_run.started_at.isoformat() if current.last_run else None,
        "checks": current.checks,
        "checks_proven_to_bite": current.checks_proven_to_bite,
        "clauses": [
            {
                "clause": line.clause.key,
                "version": line.clause.version,
                "state": line.state,
                "text": line.clause.text,
                "unverified_because": line.unverified_because,
                "checks": [
                    {
                        "check": check.name,
                        "promise": check.promise,
                        "passed": check.passed,
                        "evidence": check.evidence,
                        "error": check.error,
                        "run_at": check.run_at.isoformat() if check.run_at else None,  # type: ignore[attr-defined]  # a datetime
                    }
                    for check in line.checks
                ],
            }
            for line in current.clauses
        ],
    }
