"""The door checks stop the site from starting when a console URL or an API operation declares
no capability."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path

from goodskin.core.doors import staff_door
from goodskin.staff.checks import check_api_doors, check_console_doors
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
