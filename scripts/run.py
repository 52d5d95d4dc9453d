"""`make run`: migrate, load demo data, then run the web server, the task worker and a local SMTP
sink together. Ctrl-C stops all three; if one of them dies, the others are stopped too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from supervise import port_is_free, supervise

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORTS = {
    "web": int(os.environ.get("WEB_PORT", "8000")),
    "smtp": int(os.environ.get("SMTP_PORT", "8025")),
}


def manage(*arguments: str) -> None:
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, check=True)


def main() -> int:
    for name, port in PORTS.items():
        if not port_is_free(port):
            print(
                f"run: port {port} ({name}) is already in use; stop whatever is using it and retry"
            )
            return 1
    manage("migrate", "--no-input", "-v", "0")
    manage("migrate", "--database", "keyring", "--no-input", "-v", "0")
    manage("load_demo_data")
    manage("start_jobs")  # the task worker runs every periodic job (operations/jobs.py)
    mail_folder = os.environ.get("GOODSKIN_VAR_DIR", str(ROOT / "var")) + "/mail"
    # The web server and the worker send mail to the sink started here.
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "SMTP_PORT": str(PORTS["smtp"])}
    commands = {
        "smtp": [
            PYTHON,
            "-m",
            "goodskin.core.smtp_sink",
            "--port",
            str(PORTS["smtp"]),
            "--folder",
            mail_folder,
        ],
        "worker": [PYTHON, "manage.py", "work", "--interval", "0.5"],
        "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{PORTS['web']}", "--noreload"],
    }
    banner = (
        f"\n  GoodSkin is running on http://127.0.0.1:{PORTS['web']} "
        "(console: /console/, API: /api/v1/docs)\n"
        f"  Mail sent by the site is kept in {mail_folder}/. Press Ctrl-C to stop everything.\n"
    )
    return supervise(
        commands,
        root=ROOT,
        environment=environment,
        banner=banner,
        name="run",
        stopped="web, worker and SMTP sink",
    )


if __name__ == "__main__":
    sys.exit(main())
