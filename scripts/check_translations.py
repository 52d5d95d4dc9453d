"""Every user-facing string has a Spanish translation, and the catalogue is up to date.

Runs `makemessages` for Spanish, compares the messages it finds in the code with the committed
catalogue, then puts the committed file back untouched. Fails listing strings that are new in
the code but missing from the catalogue, and entries with an empty or fuzzy translation.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
QUOTED_LINES = r'(?:".*"\n)+'
ENTRY = re.compile(
    rf"(#, fuzzy[^\n]*\n)?(?:#\|.*\n)*msgid ({QUOTED_LINES})(?:msgid_plural {QUOTED_LINES})?"
    rf"((?:msgstr(?:\[\d\])? {QUOTED_LINES})+)"
)


def join(quoted: str) -> str:
    return "".join(re.findall(r'"(.*)"', quoted))


def entries(text: str) -> dict[str, tuple[bool, list[str]]]:
    found = {}
    for fuzzy, msgid, msgstrs in ENTRY.findall(text + "\n"):
        key = join(msgid)
        if key:
            translations = [join(part) for part in re.split(r"msgstr(?:\[\d\])? ", msgstrs) if part]
            found[key] = (bool(fuzzy), translations)
    return found


def main() -> int:
    committed = CATALOGUE.read_text()
    try:
        ignored = ["--ignore=.venv", "--ignore=.tools", "--ignore=node_modules", "--ignore=var"]
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location", *ignored],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        in_code = entries(CATALOGUE.read_text())
    finally:
        CATALOGUE.write_text(committed)
    known = entries(committed)
    problems = [f"not in the catalogue: {key!r}" for key in in_code if key not in known]
    for key, (fuzzy, translations) in known.items():
        if key in in_code and (fuzzy or not all(translations)):
            problems.append(f"no Spanish translation yet: {key!r}")
    for line in problems:
        print(f"translations: {line}")
    if problems:
        print("translations: run `make messages`, translate the new entries, commit the .po")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
