"""The navigation and the footer are rendered once per language (and page, for the navigation's
"you are here") and kept: a visitor in the other language, or on another page, never gets the
kept copy of someone else's."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_kept_footer_and_navigation_follow_the_language_and_the_page(client: Client) -> None:
    english = client.get("/services/").content.decode()
    spanish_visitor = Client()
    spanish_visitor.cookies["django_language"] = "es"
    spanish = spanish_visitor.get("/services/").content.decode()
    elsewhere = client.get("/team/").content.decode()

    assert "Your Privacy Choices" in english.split("<footer")[1]
    assert "Your Privacy Choices" not in spanish.split("<footer")[1]
    assert 'lang="es"' in spanish
    assert english.count('href="/services/" aria-current="page"') == 2  # wide and narrow menus
    assert 'href="/services/" aria-current="page"' not in elsewhere
    assert elsewhere.count('href="/team/" aria-current="page"') == 2
