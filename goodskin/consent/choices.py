"""What a browser has chosen, and what that means for every signal we send, as pure functions.

Purposes: strictly necessary (always on), preferences, analytics, marketing. `None` means the
visitor has not decided yet. Global Privacy Control is an opt-out of sale, sharing and targeted
advertising, whatever else was chosen: it forces marketing off and every advertising signal to
"denied" (docs/adr/0010).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from goodskin.consent import gpp


@dataclass(frozen=True)
class Choices:
    preferences: bool | None = None
    analytics: bool | None = None
    marketing: bool | None = None

    @property
    def decided(self) -> bool:
        return None not in (self.preferences, self.analytics, self.marketing)

    @classmethod
    def accept_all(cls) -> Choices:
        return cls(True, True, True)

    @classmethod
    def reject_all(cls) -> Choices:
        return cls(False, False, False)


def effective(choices: Choices | None, *, gpc: bool) -> Choices:
    """The choices as they apply: undecided purposes are off, and GPC turns marketing off."""
    current = choices or Choices()
    applied = Choices(
        preferences=bool(current.preferences),
        analytics=bool(current.analytics),
        marketing=bool(current.marketing),
    )
    return replace(applied, marketing=False) if gpc else applied


def parse_gpc(values: list[str]) -> bool:
    """The W3C rule: only the exact value "1" counts; of several headers, any exact "1" counts."""
    return any(part.strip() == "1" for value in values for part in value.split(","))


def consent_mode(choices: Choices | None, *, gpc: bool) -> dict[str, str]:
    """Google Consent Mode v2: denied until consent; advertising always denied under GPC."""
    applied = effective(choices, gpc=gpc)

    def state(granted: bool | None) -> str:
        return "granted" if granted else "denied"

    return {
        "ad_storage": state(applied.marketing),
        "ad_user_data": state(applied.marketing),
        "ad_personalization": state(applied.marketing),
        "analytics_storage": state(applied.analytics),
    }


def gpp_sections(choices: Choices | None, *, gpc: bool) -> dict[str, dict[str, Any]]:
    """The visitor's choices as GPP usnat and usca sections. Notices are given (1); opt-outs are
    1 (opted out) unless marketing was accepted without GPC (2); the clinic's disclosures are not
    MSPA-covered transactions (2)."""
    opted_out = 1 if not effective(choices, gpc=gpc).marketing else 2
    common = {
        "SaleOptOut": opted_out,
        "SharingOptOut": opted_out,
        "MspaCoveredTransaction": 2,
        "Gpc": gpc,
    }
    return {
        "usnat": {
            **common,
            "SharingNotice": 1,
            "SaleOptOutNotice": 1,
            "SharingOptOutNotice": 1,
            "TargetedAdvertisingOptOutNotice": 1,
            "TargetedAdvertisingOptOut": opted_out,
        },
        "usca": {**common, "SaleOptOutNotice": 1, "SharingOptOutNotice": 1},
    }


def gpp_string(choices: Choices | None, *, gpc: bool) -> str:
    return gpp.encode(gpp_sections(choices, gpc=gpc))
