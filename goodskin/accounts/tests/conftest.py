from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db.models import Model

from goodskin.accounts.models import User
from goodskin.approvals.actions import ask, decide

TODAY = date(2026, 11, 29)
PASSWORD = "Lavender-Harbour-42"


@pytest.fixture
def frozen_today() -> Iterator[date]:
    """The clinic's clock stopped at noon in Los Angeles on TODAY."""
    noon = datetime(
        TODAY.year, TODAY.month, TODAY.day, 12, 0, tzinfo=ZoneInfo("America/Los_Angeles")
    )
    with time_machine.travel(noon, tick=False):
        yield TODAY


def registration(**overrides: str) -> dict[str, str]:
    form = {
        "full_name": "Rosa Delgado",
        "email": "rosa@example.com",
        "date_of_birth": "1990-04-25",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    form.update(overrides)
    return form


def make_account(
    *, email: str = "rosa@example.com", language: str = "en", verified: bool = False
) -> User:
    user = User.objects.create_user(
        email,
        PASSWORD,
        full_name="Rosa Delgado",
        date_of_birth=date(1990, 4, 25),
        preferred_language=language,
    )
    if verified:
        User.objects.filter(pk=user.pk).update(
            email_verified_at=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))
        )
        user.refresh_from_db()
    return user


_FIRST = import_module("goodskin.staff.migrations.0001_starting_roles").ROLES
_SECOND = import_module("goodskin.staff.migrations.0002_manage_staff")
_THIRD = import_module("goodskin.staff.migrations.0003_jobs_capability")
# The starting roles as the staff migrations leave them.
STARTING_ROLES = {
    name: tuple(
        capability
        for capability in (
            *capabilities,
            *_SECOND.ADDED.get(name, ()),
            *(("operations.view_jobs",) if name in _THIRD.ROLES else ()),
        )
        if capability not in _SECOND.TAKEN.get(name, ())
    )
    for name, capabilities in _FIRST.items()
}


def make_staff(
    role: str | None = "Privacy officer", *, email: str = "officer@goodskinclinics.com"
) -> User:
    """A staff account holding one of the starting roles (staff/migrations/0001), or none."""
    user = User.objects.create_user(email, "Officer-Console-Pass-9", full_name="Pat", is_staff=True)
    if role is not None:
        user.groups.add(starting_role(role))
    return user


def starting_role(name: str) -> Group:
    """The role as staff.0001 made it; remade from that migration's table where a test that
    empties the database (transaction=True) has removed the migration's rows."""
    group, made = Group.objects.get_or_create(name=name)
    if made:
        for capability in STARTING_ROLES[name]:
            app_label, codename = capability.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


def approved_by_a_second_person(action: str, target: Model, *, reason: str = "Case closed") -> Any:
    """The two-person rule satisfied: one privacy officer asks, another approves."""
    suffix = uuid.uuid4().hex[:8]
    asker = make_staff(email=f"asker.{suffix}@goodskinclinics.com")
    approver = make_staff(email=f"approver.{suffix}@goodskinclinics.com")
    approval = ask(action=action, target=target, by=asker, reason=reason)
    return decide(approval=approval, by=approver, approve=True)
