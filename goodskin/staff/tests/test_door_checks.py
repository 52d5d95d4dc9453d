"""The door checks stop the site from starting when a console URL or an API operation declares
no capability."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path

from goodskin.core.doors import staff_door
from goodskin.staff.checks import (
    check_api_doors,
    check_command_doors,
    check_console_doors,
    goodskin_commands,
)
from goodskin.website import api as website_api


def undeclared(request: HttpRequest) -> HttpResponse:
    return HttpResponse("anyone on the staff")


@staff_door("rights.view_requests")
def declared(request: HttpRequest) -> HttpResponse:
    return HttpResponse("privacy requests")


console = [path("open/", undeclared, name="open"), path("queue/", declared, name="queue")]
urlpatterns = [path("console/", include((console, "console")))]


def test_the_site_as_shipped_declares_a_door_on_every_console_url_and_api_operation() -> None:
    assert check_console_doors() == []
    assert check_api_doors() == []


@override_settings(ROOT_URLCONF=__name__)
def test_a_console_url_without_a_door_is_refused_by_name() -> None:
    errors = check_console_doors()
    assert [(error.id, error.msg) for error in errors] == [
        ("staff.E001", "console URL 'console:open' (open/) declares no capability")
    ]


def test_an_api_operation_without_a_door_is_refused_by_method_and_path() -> None:
    endpoint = website_api.list_clinics
    door = endpoint.door  # type: ignore[attr-defined]
    del endpoint.door  # type: ignore[attr-defined]
    try:
        errors = check_api_doors()
    finally:
        endpoint.door = door  # type: ignore[attr-defined]
    assert [(error.id, error.msg) for error in errors] == [
        ("staff.E002", "API operation GET /api/v1/clinics declares no door")
    ]


def test_every_management_command_declares_the_capability_an_operator_stands_in_for() -> None:
    commands = goodskin_commands()
    assert check_command_doors() == []
    assert commands["apply_retention"].capability == "retention.change_rule"
    assert commands["restore"].capability == "retention.run_backups"
    assert commands["audit_verify"].capability is None  # reads only


def test_a_command_without_a_capability_or_with_an_unknown_one_is_refused() -> None:
    command = goodskin_commands()["apply_retention"]
    declared = command.capability
    try:
        del command.capability
        missing = check_command_doors()
        command.capability = "retention.purge_everything"
        unknown = check_command_doors()
    finally:
        command.capability = declared
    assert [(e.id, e.msg) for e in missing] == [
        ("staff.E003", "management command 'apply_retention' declares no capability")
    ]
    assert [(e.id, e.msg) for e in unknown] == [
        (
            "staff.E003",
            "management command 'apply_retention' names unknown capability "
            "'retention.purge_everything'",
        )
    ]
