"""Staff sessions end sooner than patients': after 15 idle minutes, 12 hours after sign-in however
busy, and at once when the account is deactivated."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import PASSWORD, make_account, make_staff
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
QUEUE = "/console/requests/"


def _signed_in(client: Client, start: datetime) -> User:
    officer = make_staff()
    with time_machine.travel(start, tick=False):
        client.force_login(officer)
        assert client.get(QUEUE).status_code == 200
    return officer


def test_fifteen_idle_minutes_end_a_staff_session(client: Client) -> None:
    start = timezone.now()
    _signed_in(client, start)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert client.get(QUEUE).status_code == 200
    with time_machine.travel(start + timedelta(minutes=14 + 16), tick=False):
        ended = client.get(QUEUE)
    assert (ended.status_code, ended["Location"]) == (
        302,
        "/console/login/?next=/console/requests/",
    )
    assert AuditEntry.objects.filter(event=Event.SIGNED_OUT).count() == 1


def test_twelve_hours_end_a_staff_session_however_busy(client: Client) -> None:
    start = timezone.now()
    _signed_in(client, start)
    for minutes in range(10, 12 * 60, 10):  # a page every ten minutes, all day
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/console/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        assert client.get(QUEUE).status_code == 302


def test_a_patients_session_keeps_the_patients_thirty_minutes(client: Client) -> None:
    make_account()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/accounts/login/", {"email": "rosa@example.com", "password": PASSWORD})
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        assert client.get("/accounts/profile/").status_code == 200


def test_deactivating_a_staff_account_ends_its_session_at_once(client: Client) -> None:
    officer = _signed_in(client, timezone.now())
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert client.get(QUEUE).status_code == 302
