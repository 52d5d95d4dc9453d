"""The deployment files work: `.env.example` names every variable the settings read, the systemd
units pass `systemd-analyze verify`, and Debian's nginx with our site file in front of granian
serves TLS, passes the scheme the app trusts, replaces whatever X-Forwarded-For a visitor sends
(the app counts the connection's address), and serves the static files compressed and hashed."""

from __future__ import annotations

import base64
import http.cookiejar
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.processes.site import (
    ROOT,
    Site,
    fetch,
    form_token,
    free_port,
    nginx_config,
    opener,
    running_site,
)

pytestmark = pytest.mark.processes


def variables_read_by_the_settings() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "config" / "settings.py", ROOT / "config" / "env.py"):
        text = path.read_text()
        names |= set(re.findall(r'env\.\w+\(\s*"([A-Z_][A-Z0-9_]+)"', text, re.S))
        names |= set(
            re.findall(
                r'(?<![\w.])(?:text|words|flag|integer|required)\(\s*"([A-Z_][A-Z0-9_]+)"', text
            )
        )
        names |= set(re.findall(r'os\.environ(?:\.get)?\(\s*"([A-Z_][A-Z0-9_]+)"', text))
    return names


def test_env_example_lists_every_variable_the_settings_read() -> None:
    listed = set(re.findall(r"^#? ?([A-Z_][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read = variables_read_by_the_settings()
    assert len(read) > 30
    assert read - listed == set()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not here")
def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    for unit in (ROOT / "deploy" / "systemd").glob("*.service"):
        # The units name the deployed paths; verify checks the programs exist, so point them here.
        text = unit.read_text().replace("/srv/goodskin", str(ROOT))
        name = unit.name.replace("@.service", "@1.service")
        (tmp_path / name).write_text(text.replace("/etc/goodskin/env", str(tmp_path / "env")))
    (tmp_path / "env").write_text("GOODSKIN_ENV=production\n")
    units = sorted(str(path) for path in tmp_path.glob("*.service"))
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None
    result = subprocess.run(  # noqa: S603  (Debian's systemd-analyze)
        [analyze, "verify", *units], capture_output=True, text=True, check=False
    )
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    assert "Unknown key" not in said
    assert "Invalid" not in said


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with running_site(tmp_path) as running:
        yield running


def _contact_form(site_url: str, number: int) -> int:
    """One visitor's contact form, claiming in X-Forwarded-For to come from elsewhere."""
    browser = opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    token = form_token(browser, f"{site_url}/contact/")
    form = {
        "csrfmiddlewaretoken": token,
        "full_name": f"Visitor {number}",
        "email": f"visitor{number}@example.com",
        "topic": "question",
        "message": "Do you treat melasma?",
    }
    request = urllib.request.Request(
        f"{site_url}/contact/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Origin": site_url, "X-Forwarded-For": f"203.0.113.{number + 1}"},
        method="POST",
    )
    try:
        with browser.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_in_front_of_granian_serves_tls_the_scheme_and_static_files(site: Site) -> None:
    app_port, http_port, tls_port = free_port(), free_port(), free_port()
    production: dict[str, Any] = {
        "GOODSKIN_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "GOODSKIN_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": "localhost",
        "SITE_URL": f"https://localhost:{tls_port}",
        "BEHIND_TLS_PROXY": "true",
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    site.manage("collectstatic", "--no-input", "-v", "0", **production)
    site.run_program(
        sys.executable, "-m", "granian", "--interface", "wsgi", "config.wsgi:application",
        "--host", "127.0.0.1", "--port", str(app_port), "--workers", "1", "--no-ws",
        **production,
    )  # fmt: skip
    config = nginx_config(site.folder, app_port=app_port, http_port=http_port, tls_port=tls_port)
    site.run_program(
        shutil.which("nginx") or "nginx",
        "-c",
        str(config),
        "-p",
        str(site.folder),
        "-g",
        "daemon off;",
    )
    deadline, status = time.monotonic() + 60, 0
    while time.monotonic() < deadline and status != 200:
        try:
            status = fetch(f"https://localhost:{tls_port}/healthz")[0]
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    assert status == 200, (site.folder / "error.log").read_text()

    # Through nginx over TLS the app knows the request is secure: a page, with HSTS, no redirect.
    code, headers, home = fetch(f"https://localhost:{tls_port}/")
    assert code == 200
    assert "max-age=31536000" in headers["strict-transport-security"]
    # Plain HTTP to nginx goes to HTTPS; straight to the app it is redirected by the app itself.
    assert fetch(f"http://localhost:{http_port}/")[0] == 301
    direct = fetch(f"http://localhost:{app_port}/", Host="localhost")
    assert direct[0] == 301
    assert direct[1]["location"].startswith("https://localhost")
    # A visitor's own X-Forwarded-For never reaches the app: nginx sets it from the connection,
    # so six forms claiming six addresses are one visitor's, whose sixth in the hour waits.
    answers = [_contact_form(f"https://localhost:{tls_port}", number) for number in range(6)]
    assert answers == [302, 302, 302, 302, 302, 429]
    # Static files through nginx: hashed, gzip, cached a year.
    stylesheet = re.search(rb'href="(/static/website/site\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet is not None
    code, headers, _ = fetch(
        f"https://localhost:{tls_port}{stylesheet.group(1).decode()}", **{"Accept-Encoding": "gzip"}
    )
    assert code == 200
    assert headers["content-encoding"] == "gzip"
    assert "immutable" in headers["cache-control"]
