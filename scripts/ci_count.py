"""Read a JUnit XML report and fail unless tests really ran (and, if asked, browser tests too).

Prints one closing line, `ci: N passed, N failed, N skipped`, and exits non-zero when nothing
passed, something failed or errored, or browser tests were required but none ran.
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
    arguments = parser.parse_args()
    root = ElementTree.parse(arguments.report).getroot()  # noqa: S314  (our own pytest's report)
    passed = failed = skipped = browser_passed = 0
    for case in root.iter("testcase"):
        outcome = {child.tag for child in case}
        if outcome & {"failure", "error"}:
            failed += 1
        elif "skipped" in outcome:
            skipped += 1
        else:
            passed += 1
            if case.get("classname", "").startswith("tests.browser."):
                browser_passed += 1
    print(
        f"ci: {passed} passed, {failed} failed, {skipped} skipped ({browser_passed} in the browser)"
    )
    if passed == 0 or failed:
        return 1
    if arguments.require_browser and browser_passed == 0:
        print("ci: no browser test ran; Chromium must be available in CI")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
