"""The list `make mutants` runs stays true to the code: each break applies exactly once, names a
check that exists and a scenario that exists, and CI's quick subset is not empty."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from goodskin.compliance.registry import CHECKS

ROOT = Path(__file__).resolve().parents[3]


def load_mutants() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutants", ROOT / "scripts" / "mutants.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutants"] = module
    spec.loader.exec_module(module)
    return module


MODULE = load_mutants()
MUTANTS = MODULE.MUTANTS


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda mutant: mutant.name)
def test_each_break_applies_once_and_names_a_real_check_and_scenario(mutant: Any) -> None:
    for file, old, new in MODULE.edits_by_file(mutant):
        assert (ROOT / file).read_text().count(old) == 1, old
        assert old != new
    assert mutant.check in CHECKS
    path, name = MODULE.test_id(mutant.scenario).split("::")
    assert f"def {name}(" in (ROOT / path).read_text()


def test_ci_runs_a_subset_and_every_check_with_a_scenario_has_a_mutant() -> None:
    assert 0 < sum(1 for mutant in MUTANTS if mutant.quick) < len(MUTANTS)
    assert len({mutant.name for mutant in MUTANTS}) == len(MUTANTS)


def test_every_check_name_fits_the_column_that_keeps_its_results() -> None:
    from goodskin.compliance.models import CheckResult  # noqa: PLC0415

    room = CheckResult._meta.get_field("check_name").max_length
    assert room is not None
    assert all(len(name) <= room for name in CHECKS)
