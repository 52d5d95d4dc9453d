"""House rules ruff and mypy cannot see (STYLE.md rules 3, 4 and 7), checked on the syntax tree of
every product module: views, APIs, forms, admin, middleware, context processors, template tags,
management commands, tasks and everything else outside tests and migrations.

1. Writes happen in an app's actions (actions.py or an actions/ package), in a model's own
   methods (models.py), or in one of the engines named in WRITE_MODULES with the reason. A write is
   any `.save(`, `.create(`, `.get_or_create(`, `.update_or_create(`, `.bulk_create(`,
   `.bulk_update(`, a `.delete()` with no arguments, an `.update(…)` of keyword arguments only or
   on a queryset, and raw SQL that inserts, updates, deletes or drops. Receivers are not trusted
   by name: a related manager, `_default_manager` or a queryset kept in a variable counts too.
2. The modules people reach (EDGE: views, APIs, admin, forms, console, middleware, context
   processors, template tags) never fetch one row with `.get(` from a queryset, however it is
   chained: permission-checked reads live in queries.py (`access_*`), so "missing" and
   "forbidden" look the same.
3. Product code never reads the wall clock as a date (`date.today()`, `datetime.today()`) or as a
   naive time (`datetime.now()` with no zone, `datetime.utcnow()`), under any import alias: time
   comes from django.utils.timezone or is passed in.
4. Only goodskin/core/network.py reads `REMOTE_ADDR`: everything else asks `client_address`.
5. No form uses Django's `forms.EmailField`: addresses go through `EmailAddressField`.
6. Migrations import no product code but the field classes their tables are made of: a migration
   is frozen history, and must run the same however the app's modules change later.

Prints one line per breach (`path:line: rule`) and exits 1 if there are any.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Engines that write outside an actions module, each for a reason an action could not serve.
WRITE_MODULES = {
    "goodskin/accounts/factors.py": "the second-factor engine: a code or passkey is checked and "
    "spent under a row lock in the transaction that reserved its attempt, so none is good twice",
    "goodskin/communications/delivery.py": "the outbox engine: every hand-over and outcome is "
    "its own short transaction around a claim, so a crash never sends twice (ADR 0013)",
    "goodskin/operations/jobs.py": "the job engine: a slot is claimed by inserting its unique row "
    "before the job runs, and how the run ended is written whatever happened (ADR 0044)",
    "goodskin/core/throttle.py": "rate-limit counters reserve an attempt under a row lock before "
    "the work they guard, inside whichever action asks (ADR 0023)",
    "goodskin/vault/keys.py": "the keyring database: person keys are made, rewrapped and "
    "destroyed only here (ADR 0007)",
    "goodskin/vault/corrections.py": "one correction changes every copy of a piece across the "
    "tables the data map names, inside rights.actions.corrections.apply_correction's transaction",
    "goodskin/retention/purge.py": "the purge engine: batches of deletes, each with its audit "
    "summary, paused between batches for the site's own writes",
    "goodskin/tracking/partitions.py": "PostgreSQL partitions of raw analytics are created and "
    "dropped whole, as DDL",
    "goodskin/operations/management/commands/load_demo_data.py": "demo content and demo staff "
    "for `make run`; never run against a clinic's data",
}
EDGE_NAMES = {
    "views.py",
    "api.py",
    "admin.py",
    "forms.py",
    "console.py",
    "middleware.py",
    "context_processors.py",
}
ALWAYS_WRITES = {
    "save",
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
}
QUERYSET_MARKS = (".objects", "_default_manager", ".filter(", ".exclude(", ".all(", ".using(")
RAW_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|DROP|TRUNCATE|ALTER)\b", re.IGNORECASE)


def _is_edge(relative: Path) -> bool:
    return relative.name in EDGE_NAMES or "templatetags" in relative.parts


def _may_write(relative: Path) -> bool:
    return (
        relative.name in {"actions.py", "models.py"}
        or "actions" in relative.parts[:-1]
        or relative.as_posix() in WRITE_MODULES
    )


def _clock_aliases(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names that mean `datetime.date` / `datetime.datetime`, and names of the datetime module."""
    classes = {"date": "date", "datetime": "datetime"}
    dated: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "datetime":
            for alias in node.names:
                if alias.name in classes:
                    dated.add(alias.asname or alias.name)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "datetime":
                    modules.add(alias.asname or alias.name)
    return dated, modules


def _clock_receiver(receiver: ast.expr, dated: set[str], modules: set[str]) -> bool:
    if isinstance(receiver, ast.Name):
        return receiver.id in dated
    return (
        isinstance(receiver, ast.Attribute)
        and receiver.attr in {"date", "datetime"}
        and isinstance(receiver.value, ast.Name)
        and receiver.value.id in modules
    )


MATERIALISE = {"dict", "list", "set", "tuple", "sorted", "len", "sum", "any", "all", "bool"}


def _materialised(value: ast.expr) -> bool:
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in MATERIALISE
    )


def _queryset_names(scope: ast.AST) -> set[str]:
    """Variables a function (or the module's top level) assigns a queryset or a manager."""
    names = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            if _materialised(node.value):
                continue  # dict(...), list(...): the rows are read already, no queryset is kept
            text = ast.unparse(node.value)
            if any(mark in text for mark in QUERYSET_MARKS):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _on_queryset(receiver: str, querysets: set[str]) -> bool:
    root = re.split(r"[.(\[]", receiver, maxsplit=1)[0]
    return any(mark in f".{receiver}" for mark in QUERYSET_MARKS) or root in querysets


def _is_write(node: ast.Call, method: str, receiver: str, querysets: set[str]) -> bool:
    if method in ALWAYS_WRITES:
        return not (method == "save" and receiver == "super()")
    if method == "delete":
        return not node.args and not node.keywords
    if method == "update":
        keywords_only = bool(node.keywords) and not node.args
        return keywords_only or _on_queryset(receiver, querysets)
    if method == "execute" and node.args and isinstance(node.args[0], ast.Constant):
        return isinstance(node.args[0].value, str) and bool(RAW_WRITE.match(node.args[0].value))
    return False


def breaches(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    relative = path.relative_to(root)
    at_edge, may_write = _is_edge(relative), _may_write(relative)
    dated, modules = _clock_aliases(tree)
    scopes: dict[int, set[str]] = {}
    for scope in ast.walk(tree):
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            names = _queryset_names(scope)
            for inner in ast.walk(scope):
                scopes.setdefault(id(inner), set()).update(names)
    top = _queryset_names(
        ast.Module(body=[n for n in tree.body if isinstance(n, ast.Assign)], type_ignores=[])
    )
    found = []
    for node in ast.walk(tree):
        querysets = scopes.get(id(node), top)
        where = f"{relative.as_posix()}:{getattr(node, 'lineno', 0)}"
        if (
            isinstance(node, ast.Constant)
            and node.value == "REMOTE_ADDR"
            and relative.as_posix() != "goodskin/core/network.py"
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
        if not may_write and _is_write(node, method, receiver, querysets):
            found.append(f"{where}: write `{receiver}.{method}(…)` belongs in an actions module")
        if at_edge and method == "get" and _on_queryset(receiver, querysets):
            found.append(f"{where}: fetch `{receiver}.get(…)` belongs in queries.py (access_*)")
        if _clock_receiver(node.func.value, dated, modules):
            if method == "today":
                found.append(f"{where}: `{receiver}.today()` ignores the clinic's time zone")
            if (method == "now" and not node.args and not node.keywords) or method == "utcnow":
                found.append(f"{where}: naive `{receiver}.{method}()`; use timezone.now()")
    return found


def migration_breaches(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            if name.startswith("goodskin.") and not name.endswith(".fields"):
                where = f"{path.relative_to(root).as_posix()}:{getattr(node, 'lineno', 0)}"
                found.append(f"{where}: a migration must not import {name}; freeze what it needs")
    return found


def product_files(root: Path = ROOT) -> list[Path]:
    files = sorted((root / "goodskin").rglob("*.py")) + sorted((root / "config").rglob("*.py"))
    return [path for path in files if "tests" not in path.parts and "migrations" not in path.parts]


def main() -> int:
    problems = [line for path in product_files() for line in breaches(path)]
    migrations = sorted((ROOT / "goodskin").glob("*/migrations/*.py"))
    problems += [line for path in migrations for line in migration_breaches(path)]
    for relative in sorted(
        set(WRITE_MODULES) - {p.relative_to(ROOT).as_posix() for p in product_files()}
    ):
        problems.append(f"{relative}: named in WRITE_MODULES but no such module")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
