"""Which paths analytics may keep: only pages of this site that a visitor can open, in a form that
holds nothing about anyone.

A beacon can be sent by anyone with any path in it (`/leak@example.com/`, a NUL, `../`, a
right-to-left override that makes a log lie), so a path is kept only if it resolves to one of our
public pages, and every value the route captures is replaced by the parameter's name, because a
captured value is where a link's token or a reference hides (`/unsubscribe/{token}/`). Values of
the parameters named in PUBLIC_PARAMETERS are the site's own content and are kept.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import Resolver404, resolve

from goodskin.tracking.minimise import clean_path

# Parts of the site visitors do not browse; the staff console is never counted.
NOT_PAGES = ("/api/", "/console/", "/static/", "/media/", "/.well-known/")
# Captured values that are the site's own content, not anybody's: the policy document and version.
PUBLIC_PARAMETERS = frozenset({"document", "number"})


@lru_cache(maxsize=2048)
def site_page(path: str) -> str:
    """The path as analytics may store it, or "" when it is not a public page of this site."""
    cleaned = clean_path(path) if path else ""
    if not cleaned or cleaned.startswith(NOT_PAGES) or not cleaned.isascii():
        return ""
    if any(character in cleaned for character in ("\\", "//", "/./", "/../", "%")):
        return ""
    try:
        match = resolve(cleaned)
    except Resolver404:
        return ""
    if not match.kwargs:
        return cleaned
    parts = cleaned.split("/")
    for name, value in match.kwargs.items():
        if name in PUBLIC_PARAMETERS:
            continue
        parts = [f"{{{name}}}" if part == str(value) else part for part in parts]
    return "/".join(parts)
