"""The house-rules checker finds what it is meant to find, and the product passes it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

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


# Each line once slipped past the checker; each must now be refused, one breach per line.
PROBE = """\
import datetime as dt
from datetime import date as d


def edit(request, person, platform, pk):
    row = Person.objects.select_related("account").get(pk=pk)
    people = Person.objects.filter(pk=pk)
    people.update(language="es")
    person.messages.create(subject="x")
    Person._default_manager.create(email="a@example.com")
    platform.save()
    when = d.today()
    moment = dt.datetime.now()
    people.delete()
    Person.objects.bulk_update([row], ["language"])
    cursor.execute("UPDATE vault_person SET language = 'es'")
    form.save()
    return when, moment
"""


def test_every_line_of_the_probe_is_refused_in_a_view(tmp_path: Path) -> None:
    view = tmp_path / "views.py"
    view.write_text(PROBE)
    assert checker().breaches(view, tmp_path) == [
        "views.py:6: fetch `Person.objects.select_related('account').get(…)` belongs in "
        "queries.py (access_*)",
        "views.py:8: write `people.update(…)` belongs in an actions module",
        "views.py:9: write `person.messages.create(…)` belongs in an actions module",
        "views.py:10: write `Person._default_manager.create(…)` belongs in an actions module",
        "views.py:11: write `platform.save(…)` belongs in an actions module",
        "views.py:12: `d.today()` ignores the clinic's time zone",
        "views.py:13: naive `dt.datetime.now()`; use timezone.now()",
        "views.py:14: write `people.delete(…)` belongs in an actions module",
        "views.py:15: write `Person.objects.bulk_update(…)` belongs in an actions module",
        "views.py:16: write `cursor.execute(…)` belongs in an actions module",
        "views.py:17: write `form.save(…)` belongs in an actions module",
    ]


@pytest.mark.parametrize(
    "where",
    [
        "goodskin/x/middleware.py",
        "goodskin/x/context_processors.py",
        "goodskin/x/templatetags/tags.py",
        "goodskin/x/tasks.py",
        "goodskin/x/management/commands/fix.py",
        "goodskin/x/delivery.py",
    ],
)
def test_writes_are_refused_wherever_they_hide_outside_actions(tmp_path: Path, where: str) -> None:
    module = tmp_path / where
    module.parent.mkdir(parents=True)
    module.write_text("def go(person):\n    person.save()\n")
    assert checker().breaches(module, tmp_path) == [
        f"{where}:2: write `person.save(…)` belongs in an actions module"
    ]


def test_fetches_are_refused_in_middleware_and_template_tags_but_not_in_a_task(
    tmp_path: Path,
) -> None:
    code = "def go(pk):\n    return Person.objects.all().get(pk=pk)\n"
    found = {}
    for where in (
        "goodskin/x/middleware.py",
        "goodskin/x/templatetags/t.py",
        "goodskin/x/tasks.py",
    ):
        module = tmp_path / where
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text(code)
        found[where] = len(checker().breaches(module, tmp_path))
    assert found == {
        "goodskin/x/middleware.py": 1,
        "goodskin/x/templatetags/t.py": 1,
        "goodskin/x/tasks.py": 0,
    }


def test_dictionaries_sets_and_hashes_are_not_mistaken_for_writes(tmp_path: Path) -> None:
    view = tmp_path / "views.py"
    view.write_text(
        "def page(request, digest):\n"
        "    context = {}\n"
        "    context.update({'a': 1})\n"
        "    seen = set()\n"
        "    seen.update([1, 2])\n"
        "    digest.update(b'x')\n"
        "    cache.delete('key')\n"
        "    names = dict(User.objects.values_list('pk', 'full_name'))\n"
        "    names.get(1)\n"
        "    super().save()\n"
        "    return timezone.now(), date(2026, 1, 1), datetime.now(tz=UTC)\n"
    )
    assert checker().breaches(view, tmp_path) == []


def test_the_same_writes_are_allowed_in_actions_modules_and_the_named_engines(
    tmp_path: Path,
) -> None:
    rules = checker()
    for where in (
        "goodskin/x/actions.py",
        "goodskin/x/actions/intake.py",
        "goodskin/x/models.py",
        *rules.WRITE_MODULES,
    ):
        module = tmp_path / where
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text("def change(user):\n    user.save(update_fields=['full_name'])\n")
        assert rules.breaches(module, tmp_path) == [], where
    assert all(len(reason) > 40 for reason in rules.WRITE_MODULES.values())


def test_the_product_keeps_the_house_rules() -> None:
    result = subprocess.run(  # noqa: S603  (our own script)
        [sys.executable, "scripts/check_rules.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "")


def test_a_migration_may_import_field_classes_but_no_other_product_code(tmp_path: Path) -> None:
    migration = tmp_path / "goodskin" / "tracking" / "migrations" / "0009_x.py"
    migration.parent.mkdir(parents=True)
    migration.write_text(
        "import goodskin.vault.fields\n"
        "from django.db import migrations\n"
        "def go(apps, schema_editor):\n"
        "    from goodskin.tracking import partitions\n"
    )
    assert checker().migration_breaches(migration, tmp_path) == [
        "goodskin/tracking/migrations/0009_x.py:4: a migration must not import goodskin.tracking; "
        "freeze what it needs"
    ]
