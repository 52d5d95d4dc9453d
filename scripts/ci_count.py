"""Read a JUnit XML report and fail unless tests really ran (and, if asked, browser tests too).

Prints one closing line, `ci: N passed, N failed, N skipped`, and exits non-zero when nothing
passed, something failed or errored, browser tests were required but none ran, or (with
`--engine postgresql`) a test that exists for PostgreSQL was skipped on PostgreSQL.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ElementTree  # noqa: N813  (the module's documented alias style)
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("report", type=Path)
    parser.add_argument("--require-browser", action="store_true")
    # On the PostgreSQL run, a skip that names PostgreSQL means the engine check misfired.
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    arguments = parser.parse_args()
    root = ElementTree.parse(arguments.report).getroot()  # noqa: S314  (our own pytest's report)
    passed = failed = skipped = browser_passed = 0
    wrongly_skipped = []
    for case in root.iter("testcase"):
        outcome = {child.tag for child in case}
        if outcome & {"failure", "error"}:
            failed += 1
        elif "skipped" in outcome:
            skipped += 1
            reason = " ".join(child.get("message", "") for child in case if child.tag == "skipped")
            if arguments.engine == "postgresql" and "postgresql" in reason.lower():
                wrongly_skipped.append(f"{case.get('classname')}.{case.get('name')}: {reason}")
        else:
            passed += 1
            if case.get("classname", "").startswith("tests.browser."):
                browser_passed += 1
    print(
        f"ci: {passed} passed, {failed} failed, {skipped} skipped ({browser_passed} in the browser)"
    )
    for line in wrongly_skipped:
        print(f"ci: skipped on PostgreSQL, though it is a PostgreSQL test: {line}")
    if passed == 0 or failed or wrongly_skipped:
        return 1
    if arguments.require_browser and browser_passed == 0:
        print("ci: no browser test ran; Chromium must be available in CI")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
