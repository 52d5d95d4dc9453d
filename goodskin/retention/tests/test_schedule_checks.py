"""The retention schedule is one table tied to the data map: a name removed by age without a clock
on every table, a clock on a name that does not go by age, an unused name and a floor without a
rule each stop the site from starting."""

from __future__ import annotations

import dataclasses

from goodskin.core.datamap import PersonalData
from goodskin.jurisdictions.retention_floors import FLOORS, Floor
from goodskin.retention.checks import _declared, schedule_errors
from goodskin.retention.purge import targets


def _ids(errors: list) -> list[str]:  # type: ignore[type-arg]  # django's CheckMessage list
    return [error.id for error in errors]


def _with(label: str, **changes: object) -> list[tuple[str, PersonalData]]:
    return [
        (name, dataclasses.replace(declaration, **changes) if name == label else declaration)  # type: ignore[arg-type]
        for name, declaration in _declared()
    ]


def test_the_schedule_as_shipped_passes_every_check() -> None:
    assert schedule_errors(_declared(), FLOORS) == []


def test_the_purge_reads_its_tables_and_clocks_from_the_declarations() -> None:
    found = {key: [(t.label, t.clock) for t in targets(key)] for key in ("submission", "outbox")}
    assert found == {
        "submission": [
            ("submissions.ConsultationRequest", "created_at"),
            ("submissions.ContactMessage", "created_at"),
        ],
        "outbox": [("communications.Message", "created_at")],
    }
    (outbox,) = targets("outbox")
    ((lookup, statuses),) = outbox.only.children  # type: ignore[misc]  # a leaf: (lookup, value)
    assert lookup == "status__in"
    assert sorted(statuses) == ["cancelled", "failed", "sent", "suppressed"]
    assert targets("preferences") == ()


def test_a_table_removed_by_age_without_a_clock_is_refused() -> None:
    errors = schedule_errors(_with("submissions.ContactMessage", retention_clock=None), FLOORS)
    assert _ids(errors) == ["retention.E001"]
    assert "submissions.ContactMessage" in errors[0].msg


def test_a_clock_on_a_name_that_goes_with_the_person_is_refused() -> None:
    errors = schedule_errors(_with("communications.Interest", retention_clock="created_at"), FLOORS)
    assert _ids(errors) == ["retention.E002"]


def test_a_schedule_name_no_table_declares_is_refused() -> None:
    declared = [(n, d) for n, d in _declared() if d.retention != "notices"]
    assert _ids(schedule_errors(declared, FLOORS)) == ["retention.E003"]


def test_a_legal_floor_for_a_rule_that_does_not_exist_is_refused() -> None:
    floors = {**FLOORS, "medical-records": Floor(2555, "Cal. Health & Safety Code § 123145", "")}
    errors = schedule_errors(_declared(), floors)
    assert _ids(errors) == ["retention.E005"]
    assert "'medical-records'" in errors[0].msg
