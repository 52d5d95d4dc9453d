"""The jurisdiction table and its clocks: every state row answers, business days skip weekends
and federal holidays, laws apply from their effective dates, and bad input is a clear 4xx."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from django.test import Client

from goodskin.jurisdictions.dated import by_state
from goodskin.jurisdictions.deadlines import add_business_days, deadlines
from goodskin.jurisdictions.privacy import (
    PROMISE,
    ROWS_BY_STATE,
    STATE_LAWS,
    STATE_NAMES,
    US_STATES,
    Jurisdiction,
    Right,
    law_as_of,
    laws_as_of,
    rules_for,
)


def test_business_days_skip_weekends_thanksgiving_christmas_and_new_year() -> None:
    assert add_business_days(date(2026, 11, 25), 1) == date(2026, 11, 27)  # Thanksgiving 26th
    assert add_business_days(date(2026, 11, 25), 10) == date(2026, 12, 10)
    assert add_business_days(date(2026, 12, 23), 10) == date(2027, 1, 8)  # 25 Dec, 1 Jan off
    assert add_business_days(date(2026, 7, 2), 1) == date(2026, 7, 6)  # 3 July is the observed 4th


@pytest.mark.parametrize(
    ("code", "received", "expected"),
    [
        # California: receipt in 10 business days, opt-outs in 15, 45 + 45, no appeal.
        (
            "CA",
            date(2026, 11, 25),
            (date(2026, 12, 10), date(2026, 12, 17), date(2027, 1, 9), date(2027, 2, 23), None),
        ),
        (
            "VA",
            date(2026, 7, 2),
            (None, None, date(2026, 8, 16), date(2026, 9, 30), date(2026, 8, 31)),
        ),
        (
            "IA",
            date(2026, 3, 1),
            (None, None, date(2026, 5, 30), date(2026, 7, 14), date(2026, 4, 30)),
        ),
        ("NV", date(2026, 1, 10), (None, None, date(2026, 3, 11), date(2026, 4, 10), None)),
        (
            "CO",
            date(2026, 2, 28),
            (None, None, date(2026, 4, 14), date(2026, 5, 29), date(2026, 4, 14)),
        ),
        (
            "NY",
            date(2026, 12, 23),
            (
                date(2027, 1, 8),
                date(2027, 1, 15),
                date(2027, 2, 6),
                date(2027, 3, 23),
                date(2027, 2, 6),
            ),
        ),
    ],
)
def test_deadlines_for_a_request_received_on_a_given_day(
    code: str, received: date, expected: tuple[date | None, ...]
) -> None:
    due = deadlines(rules_for(code, on=received), received=received)
    assert (
        due.receipt_confirmation,
        due.opt_out_due,
        due.response_due,
        due.extended_due,
        due.appeal_response_due,
    ) == expected
    assert due.extension_notice_by == due.response_due


@pytest.mark.parametrize("law", STATE_LAWS, ids=lambda law: law.code)
def test_every_state_row_applies_from_its_effective_date_until_the_next_row(law: object) -> None:
    assert isinstance(law, Jurisdiction)
    rows = ROWS_BY_STATE[law.code]
    before = rows[rows.index(law) - 1] if rows.index(law) else PROMISE
    assert rules_for(law.code, on=law.effective_from) is law
    assert rules_for(law.code, on=law.effective_from - timedelta(days=1)) is before
    if law.effective_to is not None:
        assert rules_for(law.code, on=law.effective_to - timedelta(days=1)) is law
        assert rules_for(law.code, on=law.effective_to) is not law
    due = deadlines(law, received=law.effective_from + timedelta(days=100))
    assert due.response_due == law.effective_from + timedelta(days=100 + law.response_days)
    assert due.extended_due - due.response_due == timedelta(days=law.extension_days)
    assert law.citation.strip()
    assert law.regulator.startswith("the ")
    assert law.rights


def test_people_in_states_without_a_law_get_every_right_on_the_shortest_common_clocks() -> None:
    rules = rules_for("NY", on=date(2026, 11, 29))
    assert rules is PROMISE
    assert rules.rights == frozenset(Right)
    assert (rules.response_days, rules.appeal_response_days) == (45, 45)
    assert rules.response_days <= min(law.response_days for law in STATE_LAWS)
    assert rules.appeal_response_days == min(
        law.appeal_response_days for law in STATE_LAWS if law.appeal_response_days is not None
    )
    assert rules.free_requests_per_12_months == max(
        law.free_requests_per_12_months
        for law in STATE_LAWS
        if law.free_requests_per_12_months is not None
    )


@pytest.mark.django_db
def test_the_api_lists_every_row_and_answers_one(client: Client) -> None:
    listed = client.get("/api/v1/jurisdictions").json()
    codes = [row["code"] for row in listed]
    assert codes == ["US", *ROWS_BY_STATE]
    assert len(set(codes)) == len(codes)
    virginia = client.get("/api/v1/jurisdictions/va").json()
    assert virginia["citation"] == "Va. Code §§ 59.1-575 to -585"
    assert virginia["regulator_on_appeal_denial"] == "the Virginia Attorney General"
    assert virginia["hipaa_exemption"] == "entity"
    assert client.get("/api/v1/jurisdictions/NY").json()["code"] == "US"


@pytest.mark.django_db
def test_the_deadlines_endpoint_counts_and_refuses_bad_input_plainly(client: Client) -> None:
    ok = client.get("/api/v1/jurisdictions/CA/deadlines?received=2026-11-25").json()
    assert ok["receipt_confirmation"] == "2026-12-10"
    assert ok["response_due"] == "2027-01-09"

    unknown = client.get("/api/v1/jurisdictions/XX/deadlines?received=2026-11-25")
    impossible = client.get("/api/v1/jurisdictions/CA/deadlines?received=2026-02-30")
    too_early = client.get("/api/v1/jurisdictions/OK/deadlines?received=2026-12-31")
    assert unknown.status_code == 404
    assert impossible.status_code == 400
    assert impossible.json()["detail"] == (
        "received='2026-02-30' is not a real date; write it like 2026-11-29."
    )
    assert too_early.status_code == 400
    assert too_early.json()["detail"].startswith(
        "Oklahoma's law took effect on 2027-01-01; a request received on 2026-12-31 is under "
        "the clinic's own promise"
    )
    in_force = client.get("/api/v1/jurisdictions/OK/deadlines?received=2027-01-04").json()
    assert in_force["rules"] == "Oklahoma Consumer Data Privacy Act (SB 546)"


def test_a_law_amended_mid_year_answers_each_request_by_the_row_in_force_the_day_it_arrived() -> (
    None
):
    before, after = rules_for("UT", on=date(2026, 6, 30)), rules_for("UT", on=date(2026, 7, 1))
    assert Right.CORRECT not in before.rights
    assert Right.CORRECT in after.rights
    assert before.rights | {Right.CORRECT} == after.rights
    assert (before.effective_to, after.effective_from) == (date(2026, 7, 1), date(2026, 7, 1))
    assert law_as_of("UT", on=date(2026, 11, 30)) is after
    assert [law.code for law in laws_as_of(date(2026, 11, 30))].count("UT") == 1


def test_two_rows_of_one_state_in_force_on_the_same_day_are_refused() -> None:
    first = ROWS_BY_STATE["UT"][0]
    overlapping = dataclasses.replace(first, effective_to=date(2026, 7, 2))
    with pytest.raises(ValueError, match="UT: two rows in force on 2026-07-01"):
        by_state((overlapping, ROWS_BY_STATE["UT"][1]))
    open_ended = dataclasses.replace(first, effective_to=None)
    with pytest.raises(ValueError, match="UT: two rows in force"):
        by_state((open_ended, ROWS_BY_STATE["UT"][1]))


def test_every_state_code_has_its_name_and_every_law_row_is_a_state() -> None:
    assert set(STATE_NAMES) == US_STATES
    assert {law.code for law in STATE_LAWS} <= US_STATES
    assert all(str(STATE_NAMES[law.code]) == law.name for law in STATE_LAWS)
