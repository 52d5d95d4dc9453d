"""Text messages: one small interface in front of whichever provider the clinic contracts.

`ConsoleSmsBackend` is for development (it prints, with the number masked); `MemorySmsBackend`
stands in for the provider in tests. A production provider is a class with the same `send`.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsTemporaryError(Exception):
    """The provider could not take the message now; try again later."""


class SmsRejected(Exception):
    """The provider refused the number for good (landline, invalid, blocked)."""


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str, message_id: str) -> None: ...


def masked(number: str) -> str:
    return "•" * max(0, len(number) - 4) + number[-4:]


class ConsoleSmsBackend:
    def send(self, *, to: str, body: str, message_id: str) -> None:
        print(f"sms to {masked(to)} [{message_id}]: {body}", file=sys.stdout, flush=True)  # noqa: T201  (the development backend's whole job)


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str
    message_id: str


class MemorySmsBackend:
    """Keeps what it was given, for tests: the provider is the edge of our world."""

    sent: list[SentSms] = []  # noqa: RUF012  (shared on purpose: one list per test process)
    _lock = threading.Lock()

    def send(self, *, to: str, body: str, message_id: str) -> None:
        with self._lock:
            self.sent.append(SentSms(to=to, body=body, message_id=message_id))


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
