"""The account page's list of the person's own privacy requests.

A tag rather than view context so that accounts, which sits below rights, never imports it: the
account page asks for the section by name and rights fills it in.
"""

from __future__ import annotations

from typing import Any

from django import template

from goodskin.rights.queries import requests_of
from goodskin.vault.models import Person

register = template.Library()


@register.inclusion_tag("rights/partials/your_requests.html")
def your_privacy_requests(person: Person) -> dict[str, Any]:
    return {"requests": list(requests_of(person))}
