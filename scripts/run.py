"""`make run`: migrate, load demo data, then run the web server, the task worker and a local SMTP
sink together. Ctrl-C stops all three; if one of them dies, the others are stopped too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORTS = {
    "web": int(os.environ.get("WEB_PORT", "8000")),
    "smtp": int(os.environ.get("SMTP_PORT", "8025")),
}


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


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
        "worker": [PYTHON, "manage.py", "db_worker", "--interval", "0.5"],
        "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{PORTS['web']}", "--noreload"],
    }
    processes = {
        name: subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
        for name, command in commands.items()
    }
    print(
        f"\n  GoodSkin is running on http://127.0.0.1:{PORTS['web']} "
        "(console: /console/, API: /api/v1/docs)\n"
        f"  Mail sent by the site is kept in {mail_folder}/. Press Ctrl-C to stop everything.\n",
        flush=True,
    )
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"run: {name} stopped (exit {process.returncode}); stopping the rest")
                exit_code = process.returncode or 1
                stopping = True
                break
        time.sleep(0.3)
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    print("run: stopped web, worker and SMTP sink")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
