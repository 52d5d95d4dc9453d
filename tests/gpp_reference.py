"""A bridge to the IAB's GPP reference library (@iabgpp/cmpapi under Node), for tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BRIDGE = ROOT / "tests" / "node" / "gpp_reference.mjs"


class Reference:
    def __init__(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603  (our own bridge script)
            [shutil.which("node") or "node", str(BRIDGE)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, request: dict[str, Any]) -> Any:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline())
        if "error" in reply:
            raise AssertionError(f"reference library refused {request}: {reply['error']}")
        return reply["ok"]

    def close(self) -> None:
        self.process.terminate()


def start_reference() -> Reference:
    """The bridge, or a skip (a failure on CI) when Node or the library is missing."""
    if shutil.which("node") is None or not (ROOT / "node_modules" / "@iabgpp" / "cmpapi").exists():
        message = "the IAB reference library needs Node and `npm ci` (make test does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return Reference()
