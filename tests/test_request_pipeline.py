"""What the request pipeline (config.middleware, ADR 0051) still does after its layers were merged
and made lazy: every response is one a WSGI server accepts, a stranger's Host header is refused
before anything is written, a missing slash is redirected, flash messages still arrive, and the
kept Content-Security-Policy header follows the settings."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from typing import Any
from wsgiref.validate import validator

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, override_settings
from django.utils.csp import CSP

from goodskin.consent.models import ConsentRecord

pytestmark = pytest.mark.django_db


def wsgi_get(path: str, **headers: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """One GET through Django's WSGI handler wrapped in wsgiref's validator, which refuses a
    response whose header names or values are not plain `str` (as real servers do)."""
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> Any:
        answer["status"], answer["headers"] = status, response_headers
        return lambda data: None

    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    # As Django's test client does: a request's end must not close the test's own connection
    # (on PostgreSQL it would, and the test's transaction with it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body: Iterable[bytes] = validator(WSGIHandler())(environ, start_response)
        try:
            content = b"".join(body)
        finally:
            body.close()  # type: ignore[attr-defined]  # the validator's iterator insists on it
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], content


@pytest.mark.parametrize("path", ["/", "/privacy/", "/no-such-page/", "/healthz"])
def test_every_response_is_one_a_wsgi_server_accepts(path: str) -> None:
    status, headers, _ = wsgi_get(path)
    names = {name for name, _ in headers}
    assert status.split()[0] in {"200", "404"}
    assert {"Content-Security-Policy", "X-Request-Id", "Vary", "Content-Length"} <= names
    assert all(type(name) is str and type(value) is str for name, value in headers)


def test_a_stranger_host_header_is_refused_before_a_gpc_signal_is_recorded(client: Client) -> None:
    response = client.get("/", headers={"Host": "evil.example", "Sec-GPC": "1"})
    assert response.status_code == 400
    assert ConsentRecord.objects.count() == 0
    assert client.get("/", headers={"Sec-GPC": "1"}).status_code == 200
    assert ConsentRecord.objects.count() == 1


def test_a_path_missing_its_slash_is_redirected_once_and_an_unknown_one_is_not_found(
    client: Client,
) -> None:
    moved = client.get("/privacy")
    assert (moved.status_code, moved["Location"]) == (301, "/privacy/")
    assert client.get("/no-such-page").status_code == 404


def test_a_flash_message_set_by_one_request_is_shown_by_the_next_and_then_gone(
    client: Client,
) -> None:
    saved = client.post("/privacy/choices/", {"preferences": "on", "analytics": "on"})
    assert saved.status_code == 302
    shown = client.get("/privacy/choices/")
    assert "Your choices are saved" in shown.content.decode()
    assert "Your choices are saved" not in client.get("/privacy/choices/").content.decode()


def test_a_page_that_never_reads_flash_messages_leaves_their_cookie_as_it_was(
    client: Client,
) -> None:
    client.post("/privacy/choices/", {"preferences": "on"})
    waiting = client.cookies["messages"].value
    response = client.get("/healthz")  # shows no messages, so never reads them
    assert "messages" not in response.cookies
    assert client.cookies["messages"].value == waiting


def test_the_kept_policy_header_follows_a_change_of_settings(client: Client) -> None:
    assert "img-src 'self' data:" in client.get("/").headers["Content-Security-Policy"]
    with override_settings(SECURE_CSP={"default-src": [CSP.SELF], "img-src": [CSP.SELF]}):
        changed = client.get("/").headers["Content-Security-Policy"]
    assert changed == "default-src 'self'; img-src 'self'"
    assert "img-src 'self' data:" in client.get("/").headers["Content-Security-Policy"]
