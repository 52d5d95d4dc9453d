from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from goodskin.website.models import Clinic, Service, ServiceCategory, TeamMember
from goodskin.website.queries import content_version
from goodskin.website.shell import render_page

# The public pages are served from a kept shell (website/shell.py): what the view hands the
# template is read only when the shell is rendered, so it is lazy.


def home(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "website/home.html",
        {"featured": Service.objects.all()[:4], "clinics": Clinic.objects.all()},
        version=content_version(),
    )


def _service_groups() -> list[tuple[ServiceCategory, list[Service]]]:
    all_services = list(Service.objects.all())
    groups = [
        (category, [service for service in all_services if service.category == category.value])
        for category in ServiceCategory
    ]
    return [(category, items) for category, items in groups if items]


def services(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "website/services.html",
        {"groups": SimpleLazyObject(_service_groups)},
        version=content_version(),
    )


def team(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "website/team.html",
        {"members": TeamMember.objects.prefetch_related("clinics")},
        version=content_version(),
    )


def clinics(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "website/clinics.html",
        {"clinics": Clinic.objects.all()},
        version=content_version(),
    )
