"""Fixtures shared by every test: a real SMTP server that all mail goes through."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from pytest_django.fixtures import Settings

from goodskin.core.smtp_sink import SmtpSink

# Property tests check behaviour, not speed: no per-example deadline, which a busy CI machine
# would otherwise turn into flaky failures.
hypothesis_settings.register_profile("goodskin", deadline=None)
hypothesis_settings.load_profile("goodskin")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every database test sees both databases: the data and the keyring (docs/adr/0007)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and "databases" not in marker.kwargs:
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, databases="__all__"),
                append=False,
            )


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(autouse=True)
def smtp_sink(settings: Settings, smtp_server: SmtpSink) -> SmtpSink:
    """All mail goes over real SMTP to a local aiosmtpd server, starting each test empty."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "goodskin.communications.smtp.SigningSmtpBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_server.port, "timeout": 10},
        }
    }
    smtp_server.clear()
    return smtp_server


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: rolled-back tests reuse account numbers."""
    from django.core.cache import cache  # noqa: PLC0415

    cache.clear()


@pytest.fixture
def client() -> Any:
    """Django's test client, whose force_login of a staff account counts as a finished sign-in
    with its second factor (goodskin/accounts/tests/signing_in.py)."""
    from goodskin.accounts.tests.signing_in import StaffClient  # noqa: PLC0415

    return StaffClient()


@pytest.fixture
def officer(client: Any) -> Any:
    """A test client signed in as the privacy officer: staff, with every permission."""
    # Models load after pytest-django sets Django up, which is after this file is read.
    from goodskin.accounts.models import User  # noqa: PLC0415

    user = User.objects.create_user(
        "privacy.officer@goodskinclinics.com",
        "Officer-Console-Pass-9",
        full_name="Pat Officer",
        is_staff=True,
        is_superuser=True,
    )
    client.force_login(user)
    return client


# Rows that a refused request may still write by design: its session, and the rate-limit
# counter that reserves an attempt before the work is judged (ADR 0023).
ALWAYS_WRITTEN = frozenset({"sessions.Session", "core.RateCounter"})


def _every_row() -> dict[str, list[tuple[Any, ...]]]:
    from django.apps import apps  # noqa: PLC0415  (models exist only once Django is set up)
    from django.db import router  # noqa: PLC0415

    return {
        model._meta.label: list(
            model._default_manager.using(router.db_for_read(model)).order_by("pk").values_list()
        )
        for model in apps.get_models()
        if model._meta.label not in ALWAYS_WRITTEN and model._meta.managed
    }


@pytest.fixture
def unchanged() -> Callable[[], contextlib.AbstractContextManager[None]]:
    """`with unchanged(): …` fails unless every row of every table in both databases reads the
    same afterwards: what a refused request, a bad form or a dry run must leave behind."""

    @contextlib.contextmanager
    def check() -> Iterator[None]:
        before = _every_row()
        yield
        after = _every_row()
        changed = sorted(label for label in before if before[label] != after[label])
        assert changed == [], f"rows changed in {changed}"

    return check
