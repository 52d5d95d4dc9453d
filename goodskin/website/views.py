from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goodskin.website.models import Clinic, Service, ServiceCategory, TeamMember


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "website/home.html",
        {
            "featured": Service.objects.all()[:4],
            "clinics": Clinic.objects.all(),
        },
    )


def services(request: HttpRequest) -> HttpResponse:
    all_services = list(Service.objects.all())
    groups = [
        (category, [service for service in all_services if service.category == category.value])
        for category in ServiceCategory
    ]
    return render(
        request,
        "website/services.html",
        {"groups": [(category, items) for category, items in groups if items]},
    )


def team(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "website/team.html",
        {"members": TeamMember.objects.prefetch_related("clinics")},
    )


def clinics(request: HttpRequest) -> HttpResponse:
    return render(request, "website/clinics.html", {"clinics": Clinic.objects.all()})
