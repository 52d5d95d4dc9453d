from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from goodskin.consent.context_processors import signals_for_page
from goodskin.consent.middleware import privacy_state
from goodskin.core.doors import public_door

router = Router(tags=["consent"])


class ChoicesOut(Schema):
    preferences: bool | None
    analytics: bool | None
    marketing: bool | None


class ConsentOut(Schema):
    choices: ChoicesOut
    applied: ChoicesOut
    gpc: bool
    dnt: bool
    gpp: str
    consent_mode: dict[str, str]


@router.get("/consent", response=ConsentOut, summary="This browser's choices and signals")
@public_door
def current_consent(request: HttpRequest) -> dict[str, Any]:
    """The choices stored for this browser, how they apply (GPC turns marketing off), the IAB GPP
    string for tag vendors, and Google Consent Mode v2 defaults."""
    state = getattr(request, "privacy", None) or privacy_state(request)
    stored = state.choices
    signals = signals_for_page(state)
    return {
        "choices": {
            "preferences": stored.preferences if stored else None,
            "analytics": stored.analytics if stored else None,
            "marketing": stored.marketing if stored else None,
        },
        "applied": vars(state.applied),
        "gpc": state.gpc,
        "dnt": state.dnt,
        "gpp": signals["gpp"]["gppString"],
        "consent_mode": signals["consentMode"],
    }
