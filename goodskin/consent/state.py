"""The consent cookie and the per-request privacy state. Pure: no database, no writes.

The cookie is strictly necessary (it remembers a choice about cookies) and signed, so a choice
cannot be forged by editing it. It holds a random browser id and the three purpose choices.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core import signing
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from goodskin.consent.choices import Choices, effective

COOKIE = "gs_consent"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # a year, after which we ask again
_SALT = "goodskin.consent.cookie"
_CODES = {True: "1", False: "0", None: "-"}
_VALUES = {code: value for value, code in _CODES.items()}

# The exact words of the banner. Their hash, per language, is stored with every choice made on it.
BANNER_TEXT = (
    _("Your privacy choices"),
    _(
        "We use cookies that the site needs to work. With your permission we would also remember "
        "your preferences, measure how the site is used, and support our marketing. You can change "
        "your mind at any time from Your Privacy Choices at the bottom of every page."
    ),
    _("Accept all"),
    _("Reject all"),
    _("Customise"),
)


def banner_text_hash(language: str) -> str:
    with translation.override(language):
        text = "\n".join(str(line) for line in BANNER_TEXT)
    return hashlib.sha256(f"{language}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class PrivacyState:
    gpc: bool
    dnt: bool
    browser_id: str | None
    choices: Choices | None
    gpc_recorded: bool

    @property
    def show_banner(self) -> bool:
        return self.choices is None or not self.choices.decided

    @property
    def applied(self) -> Choices:
        return effective(self.choices, gpc=self.gpc)


def new_browser_id() -> str:
    return secrets.token_hex(16)


def cookie_value(*, browser_id: str, choices: Choices, gpc_recorded: bool) -> str:
    payload = "".join(
        _CODES[value] for value in (choices.preferences, choices.analytics, choices.marketing)
    )
    return signing.Signer(salt=_SALT).sign(f"{browser_id}|{payload}|{int(gpc_recorded)}")


def read_cookie(value: str | None) -> tuple[str, Choices, bool] | None:
    if not value:
        return None
    try:
        raw = signing.Signer(salt=_SALT).unsign(value)
        browser_id, payload, gpc_recorded = raw.split("|")
        preferences, analytics, marketing = (_VALUES[code] for code in payload)
    except (signing.BadSignature, ValueError, KeyError):
        return None  # a damaged or forged cookie is no choice at all: ask again
    if len(browser_id) != 32:
        return None
    return browser_id, Choices(preferences, analytics, marketing), gpc_recorded == "1"
