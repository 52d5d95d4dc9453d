from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def clinic(request: HttpRequest) -> dict[str, object]:
    return {
        "contact_email": settings.CLINIC_CONTACT_EMAIL,
        "postal_address": [
            "GoodSkin Clinics",
            "Attn: Privacy",
            "11760 San Vicente Blvd",
            "Los Angeles, CA 90049",
        ],
    }
