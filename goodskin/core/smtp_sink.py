"""A local SMTP server that keeps every message it receives: for `make run` and for the tests.

`make run` starts it as a process (`python -m goodskin.core.smtp_sink`), writing each message to
var/mail/ as an .eml file; the tests start it in-process and read `SmtpSink.messages`.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope


def _free_port(host: str) -> int:
    # aiosmtpd checks its own readiness by connecting to the port it was given, so it needs a
    # real port number rather than 0.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(  # noqa: N802  (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        refusal = self.sink.refuse_recipients.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:  # noqa: N802  (aiosmtpd's hook name)
        if self.sink.refuse_data:
            return self.sink.refuse_data
        raw = envelope.original_content or b""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.sink.keep(message, raw)
        if self.sink.after_keep is not None:
            self.sink.after_keep()
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 0, folder: Path | None = None
    ) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self.folder = folder
        # Misbehaviour on demand, for tests of the outbox: a reply to every DATA ("451 …"),
        # refusals per recipient, and a hook run after a message is kept, before the reply.
        self.refuse_data: str | None = None
        self.refuse_recipients: dict[str, str] = {}
        self.after_keep: Callable[[], None] | None = None
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self.port = port or _free_port(host)
        # Like Postfix and most providers, the sink speaks SMTPUTF8 (RFC 6531).
        self.controller = Controller(
            _Handler(self), hostname=host, port=self.port, enable_SMTPUTF8=True
        )

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def keep(self, message: EmailMessage, raw: bytes) -> None:
        with self._arrived:
            self.messages.append(message)
            self.raw.append(raw)
            if self.folder is not None:
                self.folder.mkdir(parents=True, exist_ok=True)
                name = f"{time.strftime('%Y%m%d-%H%M%S')}-{len(self.messages):04d}.eml"
                (self.folder / name).write_bytes(raw)
                print(f"smtp sink: kept {name}: {message['Subject']}", flush=True)
            self._arrived.notify_all()

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.raw.clear()
            self.refuse_data = None
            self.refuse_recipients = {}
            self.after_keep = None

    def wait_for(self, count: int, *, timeout: float = 10.0) -> list[EmailMessage]:
        """Block until at least `count` messages have arrived, or fail after `timeout` seconds."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout):
                raise TimeoutError(
                    f"expected {count} email(s) at the SMTP sink, got {len(self.messages)}"
                )
            return list(self.messages)


def main() -> None:
    parser = argparse.ArgumentParser(description="Local SMTP sink for development.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--folder", type=Path, default=Path("var/mail"))
    arguments = parser.parse_args()
    sink = SmtpSink(host=arguments.host, port=arguments.port, folder=arguments.folder).start()
    print(
        f"smtp sink: listening on {arguments.host}:{arguments.port}, keeping mail in {arguments.folder}/",
        flush=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
