"""House rules ruff and mypy cannot see (STYLE.md rules 3, 4 and 7), checked on the syntax tree.

1. Views, API endpoints, admin classes and forms never write: no `.save(`, `.delete(`,
   `.objects.create(`, `.update(`, `.bulk_create(` there. Writes go through an app's actions.py.
2. Those same modules never fetch with `.objects.get(`: permission-checked reads live in
   queries.py (`access_*`), so "missing" and "forbidden" look the same.
3. Product code never reads the wall clock directly as a date (`date.today()`) or uses naive
   `datetime.now()`: time comes from django.utils.timezone or is passed in.
4. Only goodskin/core/network.py reads `REMOTE_ADDR`: everything else asks `client_address`, which
   believes `X-Forwarded-For` only from the configured proxies.
5. No form uses Django's `forms.EmailField`: addresses go through `EmailAddressField`, which holds
   the one rule for which addresses our mail server can deliver to.

Prints one line per breach (`path:line: rule`) and exits 1 if there are any.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDGE_MODULES = {"views.py", "api.py", "admin.py", "forms.py", "console.py"}
ROW_WRITES = {"save", "delete"}
QUERYSET_WRITES = {"create", "update", "delete", "bulk_create", "bulk_update", "get_or_create"}


def breaches(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    at_edge = path.name in EDGE_MODULES
    for node in ast.walk(tree):
        where = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
        if (
            isinstance(node, ast.Constant)
            and node.value == "REMOTE_ADDR"
            and path.relative_to(root).as_posix() != "goodskin/core/network.py"
        ):
            found.append(f"{where}: read the client through core.network.client_address")
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "EmailField"
            and ast.unparse(node.value) == "forms"
        ):
            found.append(f"{where}: use core.validation.EmailAddressField, not EmailField")
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        receiver = ast.unparse(node.func.value)
        where = f"{path.relative_to(root)}:{node.lineno}"
        row_write = method in ROW_WRITES and not receiver.endswith(("form", "super()"))
        queryset_write = method in QUERYSET_WRITES and ".objects" in f".{receiver}"
        if at_edge and (row_write or queryset_write):
            found.append(f"{where}: write `{receiver}.{method}(…)` belongs in an actions.py")
        if at_edge and method == "get" and receiver.endswith(".objects"):
            found.append(f"{where}: fetch `{receiver}.get(…)` belongs in queries.py (access_*)")
        if method == "today" and receiver in {"date", "datetime.date"}:
            found.append(f"{where}: `date.today()` ignores the clinic's time zone; use timezone")
        if method == "now" and receiver in {"datetime", "datetime.datetime"} and not node.args:
            found.append(f"{where}: naive `datetime.now()`; use django.utils.timezone.now()")
    return found


def main() -> int:
    files = sorted((ROOT / "goodskin").rglob("*.py")) + sorted((ROOT / "config").rglob("*.py"))
    product = [
        path for path in files if "tests" not in path.parts and "migrations" not in path.parts
    ]
    problems = [line for path in product for line in breaches(path)]
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
