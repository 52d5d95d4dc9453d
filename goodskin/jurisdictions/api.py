"""`GET /api/v1/jurisdictions[/{code}[/deadlines]]`: the jurisdiction table and its clocks."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Router, Schema
from ninja.params.functions import Path, Query

from goodskin.core.doors import public_door
from goodskin.jurisdictions.dated import in_force_on
from goodskin.jurisdictions.deadlines import deadlines
from goodskin.jurisdictions.privacy import (
    PROMISE,
    ROWS_BY_STATE,
    Jurisdiction,
    UnknownJurisdiction,
    law_as_of,
    laws_as_of,
    rules_for,
)

router = Router(tags=["jurisdictions"])
JurisdictionCode = Annotated[
    str, Path(examples=["CA", "US"], description="A two-letter state code, or US", max_length=2)
]
# The dates the deadline arithmetic answers for; beyond them a clock has no law to run on.
EARLIEST_RECEIVED = date(2000, 1, 1)
LATEST_RECEIVED = date(2099, 12, 31)


class JurisdictionOut(Schema):
    code: str
    name: str
    law: str
    citation: str
    statutory: bool
    effective_from: date
    in_force: bool
    rights: list[str]
    response_days: int
    extension_days: int
    extension_notice: str
    confirm_receipt_business_days: int | None
    opt_out_business_days: int | None
    appeal_available: bool
    appeal_response_days: int | None
    free_requests_per_12_months: int | None
    authorised_agents: str
    verification: str
    regulator_on_appeal_denial: str
    hipaa_exemption: str
    to_verify: list[str]
    notes: str


def _out(rules: Jurisdiction, today: date) -> dict[str, object]:
    return {
        "code": rules.code,
        "name": rules.name,
        "law": rules.law,
        "citation": rules.citation,
        "statutory": rules.statutory,
        "effective_from": rules.effective_from,
        "in_force": in_force_on(rules, today),
        "rights": sorted(rules.rights),
        "response_days": rules.response_days,
        "extension_days": rules.extension_days,
        "extension_notice": rules.extension_notice,
        "confirm_receipt_business_days": rules.confirm_receipt_business_days,
        "opt_out_business_days": rules.opt_out_business_days,
        "appeal_available": rules.appeal_available,
        "appeal_response_days": rules.appeal_response_days,
        "free_requests_per_12_months": rules.free_requests_per_12_months,
        "authorised_agents": str(rules.agents),
        "verification": rules.verification,
        "regulator_on_appeal_denial": rules.regulator,
        "hipaa_exemption": str(rules.hipaa),
        "to_verify": list(rules.verify),
        "notes": rules.notes,
    }


def _unknown(code: str) -> JsonResponse:
    return JsonResponse(
        {
            "detail": f"No jurisdiction {code!r}: use a two-letter US state code such as CA, "
            "or US for the clinic's own promise."
        },
        status=404,
    )


@router.get("/jurisdictions", response=list[JurisdictionOut])
@public_door
def list_jurisdictions(request: HttpRequest) -> list[dict[str, object]]:
    today = timezone.localdate()
    return [_out(PROMISE, today), *(_out(law, today) for law in laws_as_of(today))]


@router.get("/jurisdictions/{code}", response={200: JurisdictionOut, 404: dict[str, str]})
@public_door
def get_jurisdiction(request: HttpRequest, code: JurisdictionCode) -> object:
    today = timezone.localdate()
    code = code.upper()
    if code == "US":
        return _out(PROMISE, today)
    law = law_as_of(code, on=today)
    if law is not None:
        return _out(law, today)
    try:
        return _out(rules_for(code, on=today), today)  # a state without a law: the promise
    except UnknownJurisdiction:
        return _unknown(code)


class DeadlinesOut(Schema):
    jurisdiction: str
    rules: str
    citation: str
    received: date
    receipt_confirmation: date | None
    opt_out_due: date | None
    response_due: date
    extension_notice_by: date
    extended_due: date
    appeal_response_due: date | None


@router.get(
    "/jurisdictions/{code}/deadlines",
    response={200: DeadlinesOut, 400: dict[str, str], 404: dict[str, str]},
)
@public_door
def get_deadlines(
    request: HttpRequest,
    code: JurisdictionCode,
    received: Annotated[str, Query(examples=["2026-11-25"], description="YYYY-MM-DD")],
) -> object:
    code = code.upper()
    try:
        day = date.fromisoformat(received)
    except ValueError:
        return JsonResponse(
            {"detail": f"received={received!r} is not a real date; write it like 2026-11-29."},
            status=400,
        )
    if not EARLIEST_RECEIVED <= day <= LATEST_RECEIVED:
        return JsonResponse(
            {
                "detail": f"received: give a date between {EARLIEST_RECEIVED.isoformat()} and "
                f"{LATEST_RECEIVED.isoformat()}; the table has no rules outside those years."
            },
            status=400,
        )
    law = next(iter(ROWS_BY_STATE.get(code, ())), None)
    if law is not None and day < law.effective_from:
        return JsonResponse(
            {
                "detail": f"{law.name}'s law took effect on {law.effective_from.isoformat()}; a "
                f"request received on {day.isoformat()} is under the clinic's own promise: ask "
                f"/api/v1/jurisdictions/US/deadlines?received={day.isoformat()}."
            },
            status=400,
        )
    try:
        rules = rules_for(code, on=day)
    except UnknownJurisdiction:
        return _unknown(code)
    due = deadlines(rules, received=day)
    return {
        "jurisdiction": code,
        "rules": rules.law,
        "citation": rules.citation,
        "received": due.received,
        "receipt_confirmation": due.receipt_confirmation,
        "opt_out_due": due.opt_out_due,
        "response_due": due.response_due,
        "extension_notice_by": due.extension_notice_by,
        "extended_due": due.extended_due,
        "appeal_response_due": due.appeal_response_due,
    }
