"""Log lines as one JSON object each, with the request id, for production log collectors.

What is logged stays what it was (paths, status codes, counts, class names): the formatter adds
structure, never values. Personal data does not reach the logs at all (tests/test_logs.py sends
marker values through every form and looks for them).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from goodskin.core import context


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": context.current_request_id() or None,
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            line["status"] = status
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
