"""Every door of the staff console declares who may pass (core/doors.py): a console URL whose
view declares no capability stops the site from starting."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core import checks
from django.core.management import get_commands, load_command_class
from django.urls import URLPattern, URLResolver, get_resolver

from goodskin.core.doors import door_of


def console_patterns(
    patterns: list[Any] | None = None, prefix: str = "", inside: bool = False
) -> Iterator[tuple[str, str, URLPattern]]:
    """(route, name with namespaces, pattern) of every URL under the `console` namespace."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            within = inside or entry.namespace == "console"
            yield from console_patterns(entry.url_patterns, namespace, within)
        elif inside and isinstance(entry, URLPattern):
            yield str(entry.pattern), f"{prefix}{entry.name}", entry


@checks.register(checks.Tags.urls)
def check_console_doors(app_configs: Any = None, **kwargs: Any) -> list[checks.Error]:
    return [
        checks.Error(
            f"console URL {name!r} ({route}) declares no capability",
            hint="Decorate its view with core.doors.staff_door(...) or public_door.",
            id="staff.E001",
        )
        for route, name, pattern in console_patterns()
        if door_of(pattern.callback) is None
    ]


@checks.register(checks.Tags.urls)
def check_api_doors(app_configs: Any = None, **kwargs: Any) -> list[checks.Error]:
    from config.api import api  # noqa: PLC0415  (the API is assembled from every app's router)

    return [
        checks.Error(
            f"API operation {method} /api/v1{path} declares no door",
            hint="Mark its function with core.doors.public_door or declares(Door(...)).",
            id="staff.E002",
        )
        for _, router in api._routers  # noqa: SLF001  (ninja keeps the routers here)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
        if door_of(operation.view_func) is None
    ]


def goodskin_commands() -> dict[str, Any]:
    """Every management command of our own apps, by name, with its class."""
    found = {}
    for name, app in get_commands().items():
        if app.startswith("goodskin."):
            found[name] = load_command_class(app, name).__class__
    return found


@checks.register()
def check_command_doors(app_configs: Any = None, **kwargs: Any) -> list[checks.Error]:
    errors = []
    for name, command in sorted(goodskin_commands().items()):
        if not hasattr(command, "capability"):
            errors.append(
                checks.Error(
                    f"management command {name!r} declares no capability",
                    hint='Set `capability = "app.capability"`, or None for a command that '
                    "only reads.",
                    id="staff.E003",
                )
            )
        elif command.capability is not None and not _capability_exists(command.capability):
            errors.append(
                checks.Error(
                    f"management command {name!r} names unknown capability {command.capability!r}",
                    id="staff.E003",
                )
            )
    return errors


def _capability_exists(capability: str) -> bool:
    app_label, _, codename = capability.partition(".")
    try:
        model_app = apps.get_app_config(app_label)
    except LookupError:
        return False
    declared = {
        code for model in model_app.get_models() for code, _name in model._meta.permissions
    } | {
        f"{action}_{model._meta.model_name}"
        for model in model_app.get_models()
        for action in model._meta.default_permissions
    }
    return codename in declared
