"""Run a few processes together until Ctrl-C, or until one of them stops: then stop the rest.
Shared by `make run` (scripts/run.py) and `make serve` (scripts/serve.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def supervise(
    commands: dict[str, list[str]],
    *,
    root: Path,
    environment: dict[str, str],
    banner: str,
    name: str,
    stopped: str = "",
) -> int:
    processes = {
        label: subprocess.Popen(command, cwd=root, env=environment, start_new_session=True)
        for label, command in commands.items()
    }
    print(banner, flush=True)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for label, process in processes.items():
            if process.poll() is not None:
                print(f"{name}: {label} stopped (exit {process.returncode}); stopping the rest")
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
    print(f"{name}: stopped {stopped or ', '.join(processes)}")
    return exit_code
