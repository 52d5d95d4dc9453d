"""The house-rules checker finds what it is meant to find, and the product passes it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_rules", ROOT / "scripts" / "check_rules.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_writes_and_raw_fetches_in_a_view_are_reported(tmp_path: Path) -> None:
    view = tmp_path / "views.py"
    view.write_text(
        "def edit(request):\n"
        "    user = User.objects.get(pk=1)\n"
        "    user.save()\n"
        "    User.objects.filter(pk=1).update(full_name='x')\n"
        "    form.save()\n"
        "    widget.attrs.update({'a': 1})\n"
        "    return date.today()\n"
    )
    assert checker().breaches(view, tmp_path) == [
        "views.py:2: fetch `User.objects.get(…)` belongs in queries.py (access_*)",
        "views.py:3: write `user.save(…)` belongs in an actions.py",
        "views.py:4: write `User.objects.filter(pk=1).update(…)` belongs in an actions.py",
        "views.py:7: `date.today()` ignores the clinic's time zone; use timezone",
    ]


def test_the_same_writes_are_allowed_in_actions(tmp_path: Path) -> None:
    actions = tmp_path / "actions.py"
    actions.write_text("def change(user):\n    user.save(update_fields=['full_name'])\n")
    assert checker().breaches(actions, tmp_path) == []


def test_the_product_keeps_the_house_rules() -> None:
    result = subprocess.run(  # noqa: S603  (our own script)
        [sys.executable, "scripts/check_rules.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "")
