from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Router, Schema

from goodskin.core.doors import public_door
from goodskin.core.schemas import InputSchema
from goodskin.website.distance import coarse, kilometres
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
@public_door
def list_clinics(request: HttpRequest) -> list[Clinic]:
    return list(Clinic.objects.all())


class PlaceIn(InputSchema):
    # strict: true and "12" are not coordinates
    lat: float = Field(ge=-90, le=90, strict=True, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, strict=True, allow_inf_nan=False)


class NearestOut(Schema):
    slug: str
    name: str
    distance_km: float


@router.post(
    "/clinics/nearest",
    response={200: NearestOut, 400: dict[str, str], 404: dict[str, str]},
    summary="The clinic nearest a place (nothing about the place is kept)",
)
@public_door
def nearest_clinic(request: HttpRequest, place: PlaceIn) -> HttpResponse:
    """Coordinates come in the body (never the URL, which servers log), are cut to about a
    kilometre, used once and not stored or logged."""
    lat, lon = coarse(place.lat), coarse(place.lon)
    located = [clinic for clinic in Clinic.objects.all() if clinic.latitude is not None]
    if not located:
        return JsonResponse({"detail": "no clinic has a location yet"}, status=404)
    best = min(
        located,
        key=lambda clinic: kilometres(
            lat, lon, float(clinic.latitude or 0), float(clinic.longitude or 0)
        ),
    )
    distance = kilometres(lat, lon, float(best.latitude or 0), float(best.longitude or 0))
    response = JsonResponse(
        {"slug": best.slug, "name": best.name, "distance_km": round(distance, 1)}
    )
    response["Cache-Control"] = "no-store"
    return response
