"""`manage.py work`: a task worker (django-tasks-db's db_worker) that waits out a database outage.

db_worker stops at the first database error. This one logs the outage in one line, waits (1 s,
then twice as long each time, at most a minute), and starts again; /readyz says 503 meanwhile,
since no heartbeat arrives. A worker that ran a while before the error starts counting from 1 s.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Any

from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorker

logger = logging.getLogger("goodskin.operations.work")
LONGEST_WAIT = 60.0


class Command(DbWorker):
    # What a worker does, staff asked for through a door of their own; the command only runs it.
    capability = None
    help = "Run a task worker that waits out database outages (db_worker, with back-off)."

    def handle(self, *args: Any, **options: Any) -> None:
        options["reload"] = False  # a reloading worker runs in a thread this loop cannot watch
        wait = 1.0
        while True:
            started = time.monotonic()
            try:
                super().handle(*args, **options)
                return  # stopped on purpose (SIGTERM, --batch, --max-tasks)
            except DatabaseError as error:
                if time.monotonic() - started > LONGEST_WAIT:
                    wait = 1.0  # it had been working: this is a new outage
                logger.warning(
                    "database unreachable (%s); the worker tries again in %.0f s",
                    type(error).__name__,
                    wait,
                )
                connections.close_all()  # the next try opens fresh connections
                if self._stopped_while_waiting(wait):
                    return
                wait = min(wait * 2, LONGEST_WAIT)

    def _stopped_while_waiting(self, seconds: float) -> bool:
        """Wait, unless told to stop (SIGTERM, Ctrl-C) meanwhile: then True."""
        stop = threading.Event()
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: stop.set())
        return stop.wait(seconds)
