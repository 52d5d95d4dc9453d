"""Reads of one person's request pass the console door and then an access_* query that checks
the reader again: staff without the capability learn nothing about which references exist."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from goodskin.accounts.models import User
from goodskin.core.smtp_sink import SmtpSink
from goodskin.rights.actions.intake import Opened, open_request
from goodskin.rights.models import Channel, DataRequest

pytestmark = pytest.mark.django_db


def _staff(client: Client, *, may_view: bool) -> Client:
    user = User.objects.create_user(
        "desk@goodskinclinics.com", "Desk-Console-Pass-9", full_name="Sam", is_staff=True
    )
    if may_view:
        user.user_permissions.add(Permission.objects.get(codename="view_requests"))
    client.force_login(user)
    return client


def _access_request() -> Opened:
    return open_request(
        kind="access",
        email="ana@example.com",
        state="CA",
        today=timezone.localdate(),
        channel=Channel.WEB,
    )


def test_staff_without_the_capability_are_stopped_at_the_door_whether_or_not_it_exists(
    client: Client, smtp_sink: SmtpSink
) -> None:
    opened = _access_request()
    staff = _staff(client, may_view=False)
    hidden = staff.get(f"/console/requests/{opened.request.reference}/")
    missing = staff.get("/console/requests/GS-NOPE-0000/")
    assert (hidden.status_code, missing.status_code) == (403, 403)
    sentence = "Your role does not include “See privacy requests and minors cases”"
    for page in (hidden.content.decode(), missing.content.decode()):
        assert sentence in page  # the same answer: nothing tells the two apart
        assert "ana@example.com" not in page
    assert DataRequest.objects.get().status == opened.request.status  # looking changed nothing


def test_staff_with_the_permission_open_the_request(client: Client, smtp_sink: SmtpSink) -> None:
    opened = _access_request()
    page = _staff(client, may_view=True).get(f"/console/requests/{opened.request.reference}/")
    assert page.status_code == 200
    assert opened.request.reference in page.content.decode()
