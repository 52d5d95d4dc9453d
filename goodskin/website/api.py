from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from goodskin.website.models import Clinic

router = Router(tags=["clinics"])


class ClinicOut(Schema):
    slug: str
    name: str
    street: str
    city: str
    region: str
    postal_code: str
    phone: str
    hours: list[str]


@router.get("/clinics", response=list[ClinicOut], summary="The clinics, with address and hours")
def list_clinics(request: HttpRequest) -> list[Clinic]:
    return list(Clinic.objects.all())
