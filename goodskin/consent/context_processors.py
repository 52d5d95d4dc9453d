from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from goodskin.consent import gpp
from goodskin.consent.choices import consent_mode, gpp_sections
from goodskin.consent.middleware import privacy_state
from goodskin.consent.state import PrivacyState


def signals_for_page(state: PrivacyState) -> dict[str, Any]:
    """What the page hands to its scripts: Consent Mode defaults and the GPP data for __gpp()."""
    sections = gpp_sections(state.choices, gpc=state.gpc)
    return {
        "consentMode": consent_mode(state.choices, gpc=state.gpc),
        "gpp": {
            "gppString": gpp.encode(sections),
            "applicableSections": [gpp.SECTIONS[name].id for name in sections],
            "parsedSections": sections,
        },
        "gpc": state.gpc,
        "gpcRecorded": state.gpc_recorded,
    }


def privacy(request: HttpRequest) -> dict[str, Any]:
    state: PrivacyState = getattr(request, "privacy", None) or privacy_state(request)
    return {"privacy": state, "privacy_signals": signals_for_page(state)}
