"""Fixtures shared by every test: a real SMTP server that all mail goes through."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from goodskin.core.smtp_sink import SmtpSink


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
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_server.port, "timeout": 10},
        }
    }
    smtp_server.clear()
    return smtp_server
