"""Reading the environment, in one place.

Settings call these helpers once at import time; nothing else in the project reads `os.environ`.
Development machines get generated secrets in `var/` so `make run` needs no set-up; production
refuses to start without real ones (see `config/settings.py`).
"""

from __future__ import annotations

import base64
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GOODSKIN_VAR_DIR", BASE_DIR / "var"))


def text(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def flag(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def integer(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def words(name: str, default: str = "") -> list[str]:
    return [word for word in os.environ.get(name, default).replace(",", " ").split() if word]


def networks(name: str) -> list[str]:
    """Addresses or networks (10.0.0.0/8), space- or comma-separated; checked here, at start-up."""
    items = words(name)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an address or network like 10.0.0.0/8"
            ) from None
    return items


def site_url(raw: str) -> str:
    """The public origin, like https://www.goodskinclinics.com: scheme and host, no path."""
    parts = urlsplit(raw.strip().rstrip("/"))
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path or parts.query:
        raise ImproperlyConfigured(
            f"SITE_URL must be the site's origin, like https://www.goodskinclinics.com, not {raw!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"


def required(name: str, *, why: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: {why}")
    return value


def local_secret(filename: str, *, generate: bytes) -> bytes:
    """A secret kept in var/ for development, created on first use with mode 0600."""
    path = VAR_DIR / filename
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(base64.b64encode(generate))
    return base64.b64decode(path.read_bytes().strip())


def _decode_master_key(raw: str, *, name: str) -> bytes:
    try:
        key = base64.b64decode(raw, validate=True)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be base64") from None
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes, not {len(key)}")
    return key


def previous_master_keys() -> list[bytes]:
    """Master keys being rotated away from: still able to unwrap, never used to wrap."""
    return [
        _decode_master_key(raw, name="GOODSKIN_PREVIOUS_MASTER_KEYS")
        for raw in words("GOODSKIN_PREVIOUS_MASTER_KEYS")
    ]


def master_key(*, production: bool) -> bytes:
    """The key that wraps every per-person data key: 32 bytes, base64 in GOODSKIN_MASTER_KEY."""
    raw = os.environ.get("GOODSKIN_MASTER_KEY", "")
    key_file = os.environ.get("GOODSKIN_MASTER_KEY_FILE", "")
    if key_file:
        raw = Path(key_file).read_text().strip()
    if not raw:
        if production:
            raise ImproperlyConfigured(
                "GOODSKIN_MASTER_KEY is not set: production needs the 32-byte base64 master key "
                "(or GOODSKIN_MASTER_KEY_FILE pointing at it)"
            )
        return local_secret("master.key", generate=secrets.token_bytes(32))
    return _decode_master_key(raw, name="GOODSKIN_MASTER_KEY")
