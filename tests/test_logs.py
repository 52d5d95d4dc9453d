"""Logs never hold personal values: marker values sent through every form of the site, signed out
and signed in, appear nowhere in what any logger wrote; and production logs are one JSON object a
line, carrying the request id."""

from __future__ import annotations

import json
import logging
from io import StringIO
from typing import Any

import pytest
from django import forms
from django.core.management import call_command
from django.test import Client

from goodskin.accounts.tests.conftest import make_account
from goodskin.core import context
from goodskin.core.logs import JsonFormatter
from tests.test_form_fuzz import PUBLIC_FORMS, SIGNED_IN_FORMS, form_fields

pytestmark = pytest.mark.django_db
MARK = "zqmk"


def marked(fields: dict[str, forms.Field]) -> dict[str, str]:
    """A submission whose every typed value carries the marker, and whose choices are valid."""
    data = {}
    for number, (name, field) in enumerate(fields.items()):
        if isinstance(field, forms.BooleanField):
            data[name] = "on"
        elif isinstance(field, forms.ChoiceField):
            offered: Any = field.choices
            choices = [str(key) for key, _ in offered if key not in ("", None)]
            data[name] = choices[0] if choices else ""
        elif isinstance(field, forms.DateField):
            data[name] = "1988-07-14"
        elif isinstance(field, forms.EmailField) or "email" in name:
            data[name] = f"{MARK}{number}@example.com"
        elif "password" in name:
            data[name] = f"{MARK.title()}-Harbour-Lamp-{number}7"
        elif "phone" in name:
            data[name] = "(310) 555-0142"
        else:
            data[name] = f"{MARK} {name} marker"
    return data


def test_marker_values_sent_through_every_form_never_reach_the_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    call_command("load_demo_data", "--no-staff", stdout=StringIO())
    caplog.set_level(logging.DEBUG)
    visitor = Client()
    for path, form_class in PUBLIC_FORMS.items():
        visitor.get(path)
        visitor.post(path, marked(form_fields(form_class)))
        visitor.post(path, {**marked(form_fields(form_class)), "email": "not an address zqmk"})
    member = Client()
    member.force_login(make_account(email="logs@example.com"))
    for path, form_class in SIGNED_IN_FORMS.items():
        member.post(path, marked(form_fields(form_class)))

    assert caplog.records, "the forms above should have logged something (4xx warnings at least)"
    assert MARK not in caplog.text.lower()
    assert all(MARK not in str(record.args).lower() for record in caplog.records)


def test_a_production_log_line_is_one_json_object_with_the_request_id() -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Bad Request: %s", ("/contact/",), None
    )
    with context.acting_as(context.ANONYMOUS, request_id="abc123"):
        line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "warning"
    assert line["logger"] == "django.request"
    assert line["message"] == "Bad Request: /contact/"
    assert line["request_id"] == "abc123"
