"""The README's production section, followed on this machine as a newcomer would: two PostgreSQL
databases; `.env.example` filled in and loaded the way step 4 says (`set -a; . env; set +a`); the
preparing commands of step 4, as written there; the web unit's and two worker units' ExecStart
lines, as shipped; our nginx site in front. Then step 7's checks pass through nginx: /readyz names
every check and answers 200, a visitor's registration reaches the mail server through a worker,
and the first staff account made by `createsuperuser` signs in and is asked for its second
factor. What a machine without systemd or root cannot do here (useradd, systemctl, certbot) is
left to test_deploy's `systemd-analyze verify`. PostgreSQL only, as the guide is."""

from __future__ import annotations

import base64
import http.cookiejar
import json
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes.site import (
    ROOT,
    Site,
    fetch,
    form_token,
    free_port,
    nginx_config,
    opener,
    postgres_server,
    running_site,
)

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(postgres_server() is None, reason="the guide deploys on PostgreSQL"),
    pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed"),
]

README = (ROOT / "README.md").read_text()
GUIDE = README[README.index("## Production") : README.index("## Read more")]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with running_site(tmp_path) as running:
        yield running


def filled_in_settings(site: Site, *, tls_port: int) -> Path:
    """`.env.example` with every uncommented line given this machine's value (step 3)."""
    ours = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "GOODSKIN_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "METRICS_TOKEN": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "localhost",
        "SITE_URL": f"https://localhost:{tls_port}",
        "DATABASE_URL": site.environment["DATABASE_URL"],
        "KEYRING_DATABASE_URL": site.environment["KEYRING_DATABASE_URL"],
        "GOODSKIN_VAR_DIR": str(site.folder),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(site.sink.port),
        "SMTP_USE_TLS": "false",
    }
    lines = []
    for line in (ROOT / ".env.example").read_text().splitlines():
        name, equals, value = line.partition("=")
        if equals and not line.startswith("#"):
            value = ours.get(name, value)
            assert value or name in {"SMTP_USERNAME", "SMTP_PASSWORD"}, f"{name} left empty"
        lines.append(
            f"{name}={shlex.quote(value)}" if equals and not line.startswith("#") else line
        )
    settings = site.folder / "env"
    settings.write_text("\n".join(lines) + "\n")
    return settings


def loaded(settings: Path) -> dict[str, str]:
    """The environment `set -a; . /etc/goodskin/env; set +a` gives, in a clean shell."""
    shell = subprocess.run(  # noqa: S603  (bash, reading our own file)
        ["/bin/bash", "-c", f"set -a; . {shlex.quote(str(settings))}; set +a; env -0"],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=True,
    )
    pairs = (item.split("=", 1) for item in shell.stdout.decode().split("\0") if "=" in item)
    return dict(pairs)


def exec_start(unit: str, *, instance: str = "", port: int = 0) -> list[str]:
    """The unit's ExecStart, pointed at this checkout (and the web one at a free port)."""
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    command = line.removeprefix("ExecStart=").replace("/srv/goodskin", str(ROOT))
    command = command.replace("%H", socket.gethostname()).replace("%i", instance)
    return shlex.split(command.replace("--port 8000", f"--port {port}"))


def step_four_commands() -> list[list[str]]:
    """The preparing commands, read from step 4 of the guide itself."""
    step = GUIDE[GUIDE.index("4. **Prepare**") : GUIDE.index("5. **Processes:**")]
    commands = re.findall(r"`(?:\.venv/bin/python manage\.py|…) ([^`]+)`", step)
    assert commands == [
        "migrate",
        "migrate --database keyring",
        "collectstatic --no-input",
        "start_jobs",
    ]
    return [shlex.split(command) for command in commands]


def test_the_readme_production_guide_serves_the_site_behind_nginx_with_two_workers(
    site: Site,
) -> None:
    app_port, http_port, tls_port = free_port(), free_port(), free_port()
    environment = loaded(filled_in_settings(site, tls_port=tls_port))
    assert environment["GOODSKIN_ENV"] == "production"
    python = str(ROOT / ".venv" / "bin" / "python")
    for arguments in step_four_commands():
        subprocess.run(  # noqa: S603  (our own manage.py)
            [python, "manage.py", *arguments], cwd=ROOT, env=environment, check=True,
            capture_output=True,
        )  # fmt: skip
    assert "systemctl enable --now goodskin-web goodskin-worker@1 goodskin-worker@2" in GUIDE
    units = [
        exec_start("goodskin-web.service", port=app_port),
        exec_start("goodskin-worker@.service", instance="1"),
        exec_start("goodskin-worker@.service", instance="2"),
    ]
    for command in units:
        site.processes.append(
            subprocess.Popen(  # noqa: S603  (the units' own commands)
                command, cwd=ROOT, env=environment, start_new_session=True,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
            )
        )  # fmt: skip
    config = nginx_config(site.folder, app_port=app_port, http_port=http_port, tls_port=tls_port)
    site.run_program(
        shutil.which("nginx") or "nginx", "-c", str(config), "-p", str(site.folder),
        "-g", "daemon off;",
    )  # fmt: skip
    address = f"https://localhost:{tls_port}"

    # Step 7: /readyz through nginx names every check and answers 200 once a worker has ticked.
    deadline, status, body = time.monotonic() + 120, 0, b""
    while time.monotonic() < deadline and status != 200:
        try:
            status, _, body = fetch(f"{address}/readyz")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            status = 0
        time.sleep(1)
    assert status == 200, body.decode(errors="replace")
    ready = json.loads(body)
    assert ready["ready"] is True
    assert len(ready["checks"]) >= 4
    assert site.query("SELECT COUNT(*) FROM operations_heartbeat") == [(1,)]  # one ticked
    # The web process, both workers and nginx are all still up.
    assert [process.poll() for process in site.processes[-4:]] == [None, None, None, None]

    # A visitor registers through nginx; a worker hands the confirmation to the mail server.
    browser = opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    token = form_token(browser, f"{address}/accounts/register/")
    form = {
        "csrfmiddlewaretoken": token,
        "full_name": "Rosa Delgado",
        "email": "rosa@example.com",
        "date_of_birth": "1990-04-25",
        "password": "Lavender-Harbour-42",
        "password_again": "Lavender-Harbour-42",
    }
    request = urllib.request.Request(
        f"{address}/accounts/register/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": f"{address}/accounts/register/"},
    )
    try:
        browser.open(request, timeout=10)
        answer = 200
    except urllib.error.HTTPError as error:
        answer = error.code
    assert answer == 302
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not site.sink.messages:
        time.sleep(0.2)
    assert [message["To"] for message in site.sink.messages] == ["rosa@example.com"]

    # The first staff account (step 7's createsuperuser) signs in and is asked for a second factor.
    subprocess.run(  # noqa: S603  (our own manage.py)
        [python, "manage.py", "createsuperuser", "--no-input"], cwd=ROOT, check=True,
        env=environment | {
            "DJANGO_SUPERUSER_EMAIL": "first.admin@goodskinclinics.com",
            "DJANGO_SUPERUSER_PASSWORD": "Juniper-Lantern-58",
            "DJANGO_SUPERUSER_FULL_NAME": "First Admin",
        },
        capture_output=True,
    )  # fmt: skip
    staff = opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    token = form_token(staff, f"{address}/accounts/login/?next=/console/")
    sign_in = urllib.request.Request(
        f"{address}/accounts/login/?next=/console/",
        data=urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "email": "first.admin@goodskinclinics.com",
                "password": "Juniper-Lantern-58",
            }
        ).encode(),
        headers={"Referer": f"{address}/accounts/login/"},
    )
    with pytest.raises(urllib.error.HTTPError) as redirected:
        staff.open(sign_in, timeout=10)
    assert redirected.value.code == 302
    assert redirected.value.headers["Location"].startswith("/console/sign-in/second-factor/")
