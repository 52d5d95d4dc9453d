"""Minimising what automatic collection keeps, as pure functions (no ORM, no settings).

Addresses are cut to a network (IPv4 /24, IPv6 /48) before anything is stored; referrers keep only
their host; paths lose their query string and fragment (where form values and tokens hide);
without analytics consent a visitor is a keyed daily hash that cannot be linked across days.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

from ua_parser import parse

from goodskin.core.network import truncate_ip

__all__ = ["truncate_ip"]

_BOT = re.compile(
    r"bot|crawl|spider|slurp|headless|lighthouse|preview|monitor|curl|wget|python-requests|httpx",
    re.I,
)


def daily_visitor(*, secret: bytes, day: date, ip_prefix: str, user_agent: str) -> str:
    """A visitor for one day only: the key changes every day and is never stored, so two days of
    the same browser cannot be joined."""
    day_key = hmac.new(
        secret, f"goodskin.analytics.day:{day.isoformat()}".encode(), hashlib.sha256
    ).digest()
    digest = hmac.new(day_key, f"{ip_prefix}\x00{user_agent}".encode(), hashlib.sha256).hexdigest()
    return "d" + digest[:31]


def clean_path(path: str) -> str:
    """The path of a page on this site, without query string or fragment, at most 200 characters."""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return ""
    cleaned = parts.path or "/"
    return cleaned[:200] if cleaned.startswith("/") else ""


def referrer_host(referrer: str, *, own_host: str) -> str:
    """Where an outside visitor came from (host only), or empty for our own pages and none."""
    host = urlsplit(referrer).hostname or ""
    return "" if not host or host == own_host else host[:100]


@dataclass(frozen=True)
class Device:
    kind: str  # desktop | mobile | tablet
    browser: str
    os: str


_MOBILE_OS = {"iOS", "Android", "Windows Phone", "KaiOS"}


@lru_cache(maxsize=4096)
def describe(user_agent: str) -> Device | None:
    """Browser, OS and device type; None for bots and crawlers, which are not counted."""
    if not user_agent or _BOT.search(user_agent):
        return None
    parsed = parse(user_agent)
    browser = parsed.user_agent.family if parsed.user_agent else "Other"
    system = parsed.os.family if parsed.os else "Other"
    device = parsed.device.family if parsed.device else "Other"
    if device == "Spider":
        return None
    if (
        "iPad" in user_agent
        or "Tablet" in user_agent
        or (system == "Android" and "Mobile" not in user_agent)
    ):
        kind = "tablet"
    elif system in _MOBILE_OS:
        kind = "mobile"
    else:
        kind = "desktop"
    return Device(kind=kind, browser=browser[:40], os=system[:40])


def screen_bucket(width: int, height: int) -> str:
    """Screen size rounded to 50 px, so it describes a class of device rather than one device."""
    return f"{round(width / 50) * 50}x{round(height / 50) * 50}"
