"""Who is asking: the proxy's X-Forwarded-For counts only when the proxy is one we named."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from config import env
from goodskin.core.network import client_address

factory = RequestFactory()


def asking(peer: str, forwarded: str | None = None) -> str:
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(factory.get("/", REMOTE_ADDR=peer, **headers))  # type: ignore[arg-type]  # META values


def test_without_trusted_proxies_the_header_is_ignored_and_the_peer_is_counted(
    settings: Settings,
) -> None:
    settings.TRUSTED_PROXIES = []
    assert asking("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_peer_that_is_not_our_proxy_cannot_choose_the_address_it_is_counted_as(
    settings: Settings,
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert asking("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_behind_our_proxy_the_visitor_it_names_is_counted(settings: Settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert asking("10.0.0.5", "198.51.100.1") == "198.51.100.1"


def test_a_visitor_who_writes_the_header_themselves_is_still_counted_by_their_own_address(
    settings: Settings,
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    # The visitor sent "X-Forwarded-For: 192.0.2.77"; two of our proxies appended what they saw.
    assert asking("10.0.0.5", "192.0.2.77, 198.51.100.1, 10.1.1.1") == "198.51.100.1"
    assert asking("2001:db8::1", "2001:db8::2, 198.51.100.4") == "198.51.100.4"


def test_a_garbled_header_from_our_proxy_counts_the_proxy_rather_than_a_guess(
    settings: Settings,
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert asking("10.0.0.5", "198.51.100.1, not-an-address") == "10.0.0.5"
    assert asking("10.0.0.5") == "10.0.0.5"


def test_a_misspelt_proxy_setting_stops_start_up_naming_the_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8 10.0.0.300")
    with pytest.raises(ImproperlyConfigured, match="'10.0.0.300' is not an address or network"):
        env.networks("TRUSTED_PROXIES")
