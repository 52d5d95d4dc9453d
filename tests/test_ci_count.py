"""The CI counter fails a run where tests did not really run: nothing passed, something failed,
no browser test ran when one was required, or a PostgreSQL test was skipped on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _report(tmp_path: Path, *cases: str) -> Path:
    path = tmp_path / "report.xml"
    path.write_text(f"<testsuites><testsuite>{''.join(cases)}</testsuite></testsuites>")
    return path


def _count(report: Path, *flags: str) -> tuple[int, str]:
    result = subprocess.run(  # noqa: S603  (our own script)
        [sys.executable, "scripts/ci_count.py", str(report), *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout


PASSED = '<testcase classname="tests.test_a" name="test_ok"/>'
SKIPPED_PG = (
    '<testcase classname="goodskin.audit.tests.test_audit_log" name="test_trigger">'
    '<skipped message="the trigger exists on PostgreSQL"/></testcase>'
)


def test_a_postgresql_only_test_skipped_on_sqlite_is_fine(tmp_path: Path) -> None:
    code, out = _count(_report(tmp_path, PASSED, SKIPPED_PG))
    assert (code, out) == (0, "ci: 1 passed, 0 failed, 1 skipped (0 in the browser)\n")


def test_a_postgresql_only_test_skipped_on_postgresql_fails_the_run(tmp_path: Path) -> None:
    code, out = _count(_report(tmp_path, PASSED, SKIPPED_PG), "--engine", "postgresql")
    assert code == 1
    assert out.splitlines()[1] == (
        "ci: skipped on PostgreSQL, though it is a PostgreSQL test: "
        "goodskin.audit.tests.test_audit_log.test_trigger: the trigger exists on PostgreSQL"
    )


def test_a_run_with_no_browser_test_fails_when_the_browser_is_required(tmp_path: Path) -> None:
    code, out = _count(_report(tmp_path, PASSED), "--require-browser")
    assert code == 1
    assert out.endswith("ci: no browser test ran; Chromium must be available in CI\n")
