"""The pre-commit hooks run the same checks as `make lint`, so a commit that passes its hooks
passes CI's lint step."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _lint_commands() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lint:.*?\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe is not None
    return [line.strip() for line in recipe.group(1).splitlines()]


def _normalise(command: str) -> str:
    command = command.replace("$(VENV)", ".venv").replace("$(PY)", ".venv/bin/python")
    command = command.replace("$$(mktemp -d)", "$(mktemp -d)")
    return command.removesuffix(" .").strip()


def test_every_lint_command_is_a_hook_and_every_hook_a_lint_command() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    entries = {hook["entry"].removeprefix("bash -c '").removesuffix("'") for hook in hooks}
    assert all(hook["language"] == "system" for hook in hooks)  # nothing fetched
    assert {_normalise(command) for command in _lint_commands()} == entries
