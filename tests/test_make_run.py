"""`make run`'s launcher, for real: web server, worker and SMTP sink come up together, the site
serves its pages and styles, a registration's email travels web → queue → worker → SMTP, and
Ctrl-C stops all three."""

from __future__ import annotations

import http.cookiejar
import re
import signal
import socket
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.processes.site import launch_make_run


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(check: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def test_make_run_serves_the_site_delivers_mail_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    web_port, smtp_port = free_port(), free_port()
    launcher = launch_make_run(tmp_path, web_port=web_port, smtp_port=smtp_port)
    site = f"http://127.0.0.1:{web_port}"
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        wait_for(lambda: opener.open(site + "/").status == 200, seconds=90, what="the web server")
        stylesheet = opener.open(site + "/static/website/site.css")
        assert stylesheet.headers["Content-Type"].startswith("text/css")

        form = opener.open(site + "/accounts/register/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert token is not None
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "full_name": "Rosa Delgado",
                "email": "rosa@example.com",
                "date_of_birth": "1990-04-25",
                "password": "Lavender-Harbour-42",
                "password_again": "Lavender-Harbour-42",
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310  (http on loopback, by design)
            site + "/accounts/register/", data=body, headers={"Referer": site + "/"}
        )
        assert opener.open(request).url == site + "/accounts/register/sent/"

        mail = tmp_path / "mail"
        wait_for(
            lambda: any(mail.glob("*.eml")), seconds=30, what="the worker to deliver the email"
        )
        [message] = mail.glob("*.eml")
        assert "Subject: Confirm your email address for GoodSkin" in message.read_text()
    finally:
        launcher.send_signal(signal.SIGINT)
        output, _ = launcher.communicate(timeout=30)
    assert launcher.returncode == 0, output
    assert (
        "staff sign-in for the console (/console/): privacy.officer@goodskinclinics.com" in output
    )
    assert "run: stopped web, worker and SMTP sink" in output
    for port in (web_port, smtp_port):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still answers"
