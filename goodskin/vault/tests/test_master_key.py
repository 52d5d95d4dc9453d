"""Rotating the master key without downtime, and refusing to run with the wrong one."""

from __future__ import annotations

import base64
import os
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from pytest_django.fixtures import Settings

from config import env
from goodskin.accounts.models import User
from goodskin.accounts.tests.conftest import make_account
from goodskin.vault import keys
from goodskin.vault.checks import check_master_keys
from goodskin.vault.crypto import master_key_id
from goodskin.vault.models import PersonKey

pytestmark = pytest.mark.django_db


def test_rotation_rewraps_every_key_and_data_stays_readable(settings: Settings) -> None:
    users = [make_account(email=f"person{number}@example.com") for number in range(5)]
    old, new = settings.GOODSKIN_MASTER_KEY, os.urandom(32)
    settings.GOODSKIN_MASTER_KEY = new
    settings.GOODSKIN_PREVIOUS_MASTER_KEYS = [old]
    # during the rotation everything is readable through the previous key
    assert User.objects.get(pk=users[0].pk).date_of_birth == date(1990, 4, 25)

    out = StringIO()
    call_command("rotate_master_key", "--batch-size", "2", stdout=out)

    assert (
        out.getvalue().splitlines()[-1]
        == f"re-wrapped 5 person keys under master key {master_key_id(new)}"
    )
    assert set(PersonKey.objects.values_list("master_key_id", flat=True)) == {master_key_id(new)}
    settings.GOODSKIN_PREVIOUS_MASTER_KEYS = []  # the old key can now be retired
    assert [User.objects.get(pk=user.pk).date_of_birth for user in users] == [date(1990, 4, 25)] * 5
    again = StringIO()
    call_command("rotate_master_key", stdout=again)
    assert (
        again.getvalue().splitlines()[-1]
        == "nothing to do: every person key is under the current master key"
    )


def test_wrong_master_key_stops_start_up_with_one_clear_line(settings: Settings) -> None:
    make_account()
    original = master_key_id(settings.GOODSKIN_MASTER_KEY)
    settings.GOODSKIN_MASTER_KEY = os.urandom(32)
    [error] = check_master_keys()
    assert error.id == "vault.E010"
    assert error.msg == (
        "GOODSKIN_MASTER_KEY is wrong: the keyring holds person keys wrapped by master key "
        f"{original}, which is neither GOODSKIN_MASTER_KEY nor listed in "
        "GOODSKIN_PREVIOUS_MASTER_KEYS"
    )
    with pytest.raises(keys.UnknownMasterKey):
        _ = User.objects.get().date_of_birth


def test_right_master_key_passes_the_check() -> None:
    make_account()
    assert check_master_keys() == []


def test_previous_keys_must_be_32_bytes_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOODSKIN_PREVIOUS_MASTER_KEYS", base64.b64encode(b"short").decode())
    with pytest.raises(
        ImproperlyConfigured, match="GOODSKIN_PREVIOUS_MASTER_KEYS must decode to 32 bytes, not 5"
    ):
        env.previous_master_keys()
