from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def clinic(request: HttpRequest) -> dict[str, object]:
    return {
        "contact_email": settings.CLINIC_CONTACT_EMAIL,
        "postal_address": settings.CLINIC_POSTAL_ADDRESS,
    }
