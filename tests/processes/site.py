"""A real copy of the site in other processes, for tests of crashes, races and several workers.

`running_site()` gives fresh databases of their own (PostgreSQL when the suite runs on it, so
CI's PostgreSQL pass runs these on PostgreSQL; SQLite files otherwise), a real SMTP server, and
helpers to run `manage.py` commands, start workers and web servers, and kill them mid-job.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from goodskin.core.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parent.parent.parent
LEAVE_OUT = {"DATABASE_URL", "KEYRING_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_server() -> str | None:
    """The PostgreSQL server the suite runs on, if it does."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _admin(url: str) -> psycopg.Connection[tuple[object, ...]]:
    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def opener(*extra: urllib.request.BaseHandler) -> urllib.request.OpenerDirector:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # our self-signed test cert
    return urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), NoRedirect, *extra
    )


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """GET `url` as a client that follows no redirect: status, headers (lower-case), body."""
    try:
        with opener().open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@dataclass
class Site:
    folder: Path
    environment: dict[str, str]
    sink: SmtpSink
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    @property
    def on_postgresql(self) -> bool:
        return self.environment.get("DATABASE_URL", "").startswith("postgres")

    def manage(
        self, *arguments: str, check: bool = True, timeout: float = 180, **extra: Any
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603  (our own manage.py)
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=self.environment | {key: str(value) for key, value in extra.items()},
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(arguments)} failed:\n{result.stderr}")
        return result

    def python(self, code: str, **extra: Any) -> object:
        """Run code in the site (Django set up) and return the JSON it prints last."""
        result = self.manage("shell", "--no-imports", "-c", code, **extra)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def start(self, *arguments: str, **extra: str) -> subprocess.Popen[str]:
        """`manage.py <arguments>` in the background, in a process group of its own."""
        return self.run_program(sys.executable, "manage.py", *arguments, **extra)

    def run_program(self, *command: str, **extra: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(  # noqa: S603  (our own programs)
            list(command),
            cwd=ROOT,
            env=self.environment | {"PYTHONUNBUFFERED": "1"} | extra,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: a kill reaches its children too
        )
        self.processes.append(process)
        return process

    def serve(self, *, workers: int = 2, threads: int = 25) -> str:
        """The site behind gunicorn, several processes with many threads each, on a free port;
        returns its address once it answers."""
        port = free_port()
        self.run_program(
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--backlog=2048",
            "--log-level=warning",
            DJANGO_SETTINGS_MODULE="config.settings",
        )
        address = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                # The first answer waits for the workers to import Django: give it time.
                urllib.request.urlopen(f"{address}/api/v1/clinics", timeout=10)  # noqa: S310
                return address
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise AssertionError("the web server did not start within 30 s")

    def query(self, sql: str) -> list[tuple[object, ...]]:
        """Read the site's data database directly (for polling while its processes work)."""
        if self.on_postgresql:
            with psycopg.connect(self.environment["DATABASE_URL"]) as connection:
                return list(connection.execute(sql).fetchall())
        with closing(sqlite3.connect(self.folder / "goodskin.sqlite3", timeout=20)) as connection:
            return list(connection.execute(sql).fetchall())

    def wait_until(
        self, sql: str, condition: Callable[[object], bool], timeout: float = 60
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition(self.query(sql)[0][0]):
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting on: {sql}")

    def audit_chain_holds(self) -> bool:
        return "intact" in self.manage("audit_verify").stdout.lower()

    @staticmethod
    def kill(process: subprocess.Popen[str]) -> None:
        """SIGKILL the whole process group: no clean-up runs, as in a power cut."""
        with suppress(ProcessLookupError):  # it may have finished first
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        """At the end of a test, stop what it started as a person would (a supervisor stops its
        own children, which run in sessions of their own), and kill only what will not stop:
        a SIGKILL to `make serve` would leave its web and task workers running after the test."""
        for process in self.processes:
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill(process)


@contextmanager
def running_site(folder: Path, **settings: str) -> Iterator[Site]:
    sink = SmtpSink().start()
    server = postgres_server()
    names: list[str] = []
    environment = {key: value for key, value in os.environ.items() if key not in LEAVE_OUT} | {
        "GOODSKIN_ENV": "development",
        "DEBUG": "false",
        "GOODSKIN_VAR_DIR": str(folder),
        "SMTP_PORT": str(sink.port),
        "LOG_LEVEL": "WARNING",
    }
    if server is not None:
        suffix = secrets.token_hex(4)
        names = [f"goodskin_proc_{suffix}", f"goodskin_proc_keyring_{suffix}"]
        with _admin(server) as admin:
            for name in names:
                admin.execute(f"CREATE DATABASE {name}")  # noqa: S608  (our own random name)
        parts = urlsplit(server)
        environment["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{names[0]}"))
        environment["KEYRING_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{names[1]}"))
    site = Site(folder=folder, environment=environment | settings, sink=sink)
    try:
        site.manage("migrate", "--no-input", "-v", "0")
        site.manage("migrate", "--database", "keyring", "--no-input", "-v", "0")
        yield site
    finally:
        site.stop_all()
        sink.stop()
        if server is not None:
            with _admin(server) as admin:
                for name in names:
                    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # noqa: S608


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed key and certificate for localhost, valid a day."""
    key, cert = folder / "tls.key", folder / "tls.crt"
    openssl = shutil.which("openssl")
    assert openssl is not None
    subprocess.run(  # noqa: S603  (Debian's openssl)
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


def nginx_config(folder: Path, *, app_port: int, http_port: int, tls_port: int) -> Path:
    """deploy/nginx/goodskin.conf as shipped, moved to free ports, a self-signed certificate for
    localhost and files under `folder`: the main nginx.conf to start nginx with."""
    key, cert = certificate(folder)
    site_file = (ROOT / "deploy" / "nginx" / "goodskin.conf").read_text()
    site_file = (
        site_file.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;")
        .replace("www.goodskinclinics.com;", "localhost;")
        .replace("/etc/letsencrypt/live/www.goodskinclinics.com/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/www.goodskinclinics.com/privkey.pem", str(key))
        .replace("/var/log/nginx/goodskin.access.log", str(folder / "access.log"))
        .replace(
            "return 301 https://$host$request_uri;",
            f"return 301 https://$host:{tls_port}$request_uri;",
        )
    )
    (folder / "goodskin.conf").write_text(site_file)
    main = folder / "nginx.conf"
    main.write_text(
        f"pid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        "events { worker_connections 256; }\n"
        f"http {{\n include /etc/nginx/mime.types;\n client_body_temp_path {folder};\n"
        f" proxy_temp_path {folder};\n fastcgi_temp_path {folder};\n uwsgi_temp_path {folder};\n"
        f" scgi_temp_path {folder};\n include {folder / 'goodskin.conf'};\n}}\n"
    )
    return main


def launch_make_run(
    folder: Path, *, web_port: int, smtp_port: int, **extra: str
) -> subprocess.Popen[str]:
    """`make run`'s launcher (scripts/run.py) as a person starts it: on SQLite in `folder`,
    whatever database the suite itself runs on, its output kept for the test to read."""
    leave_out = LEAVE_OUT | {"GOODSKIN_ENV", "SMTP_PORT"}
    environment = {key: value for key, value in os.environ.items() if key not in leave_out} | {
        "GOODSKIN_VAR_DIR": str(folder),
        "WEB_PORT": str(web_port),
        "SMTP_PORT": str(smtp_port),
        **extra,
    }
    return subprocess.Popen(  # noqa: S603  (our own launcher)
        [sys.executable, "scripts/run.py"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def form_token(browser: urllib.request.OpenerDirector, url: str) -> str:
    """Open a form page as `browser` (keeping its cookies) and give the CSRF token it carries."""
    with browser.open(url, timeout=10) as page:
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.read())
    assert token is not None, f"no form token on {url}"
    return token.group(1).decode()
