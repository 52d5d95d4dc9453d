from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def clinic_details() -> dict[str, object]:
    """How to reach the clinic, as every page (and the kept policy text) shows it."""
    return {
        "contact_email": settings.CLINIC_CONTACT_EMAIL,
        "postal_address": settings.CLINIC_POSTAL_ADDRESS,
    }


def clinic(request: HttpRequest) -> dict[str, object]:
    return clinic_details()
