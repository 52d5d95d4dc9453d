"""The outbox's promise under a real crash: a worker process killed after the mail server took a
message, but before the worker could record it, never causes that message to be sent twice, and
the messages it had not reached are still delivered, once each."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from goodskin.core.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parent.parent

QUEUE_THREE = """
from goodskin.communications.actions.outbox import queue_essential_email
from goodskin.vault.actions import person_for_email
for name in ("ana", "ben", "cai"):
    queue_essential_email(
        person=person_for_email(email=f"{name}@example.com"),
        template="accounts/email/password_changed",
        language="en",
        context={"user": {"full_name": name}, "link": "https://example.test/"},
    )
"""

STATES = """
import json
from goodskin.communications.models import Message
print(json.dumps(list(Message.objects.order_by("pk").values_list("status", "attempts"))))
"""


def manage(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own manage.py)
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_a_worker_killed_mid_hand_over_never_sends_a_message_twice(tmp_path: Path) -> None:
    sink = SmtpSink().start()
    try:
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "KEYRING_DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
        } | {
            "GOODSKIN_ENV": "development",
            "GOODSKIN_VAR_DIR": str(tmp_path),
            "SMTP_PORT": str(sink.port),
        }
        for database in ("default", "keyring"):
            assert manage(environment, "migrate", "--database", database).returncode == 0
        assert manage(environment, "shell", "-c", QUEUE_THREE).returncode == 0

        worker = subprocess.Popen(  # noqa: S603  (our own manage.py)
            [sys.executable, "manage.py", "deliver_outbox"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The server keeps the first message, then the worker dies before it hears "250".
        sink.after_keep = lambda: os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=60) == -signal.SIGKILL
        sink.after_keep = None
        assert [message["To"] for message in sink.messages] == ["ana@example.com"]
        states = json.loads(manage(environment, "shell", "--no-imports", "-c", STATES).stdout)
        assert states == [["sending", 1], ["claimed", 0], ["claimed", 0]]

        # A new worker at once: the claimed ones wait out the dead worker's lease; nothing moves.
        rerun = manage(environment, "deliver_outbox")
        assert rerun.returncode == 0, rerun.stderr
        assert len(sink.messages) == 1

        # After the lease: untouched messages go out once; the interrupted one is set aside.
        after_lease = environment | {"OUTBOX_LEASE_SECONDS": "0"}
        assert manage(after_lease, "deliver_outbox").returncode == 0
        assert manage(after_lease, "deliver_outbox").returncode == 0
        assert sorted(message["To"] for message in sink.messages) == [
            "ana@example.com",
            "ben@example.com",
            "cai@example.com",
        ]
        states = json.loads(manage(environment, "shell", "--no-imports", "-c", STATES).stdout)
        assert states == [["in_doubt", 1], ["sent", 1], ["sent", 1]]
    finally:
        sink.stop()
