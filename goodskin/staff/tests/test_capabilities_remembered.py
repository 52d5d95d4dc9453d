"""A staff member's capabilities are read once and remembered between requests, and any change
to their roles, or to a role's capabilities, takes effect on their very next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodskin.accounts.tests.conftest import make_staff, starting_role
from goodskin.accounts.tests.signing_in import StaffClient

pytestmark = pytest.mark.django_db


def permission_queries(client: StaffClient, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, sum("auth_permission" in query["sql"] for query in queries.captured_queries)


def test_capabilities_are_read_once_then_remembered() -> None:
    client = StaffClient()
    client.force_login(make_staff())
    first = permission_queries(client, "/console/requests/")
    second = permission_queries(client, "/console/requests/")
    assert first[0] == second[0] == 200
    assert first[1] > 0
    assert second[1] == 0


def test_taking_a_capability_out_of_a_role_closes_the_page_on_the_next_request() -> None:
    client = StaffClient()
    client.force_login(make_staff())
    assert client.get("/console/requests/").status_code == 200
    officer = starting_role("Privacy officer")

    officer.permissions.remove(Permission.objects.get(codename="view_requests"))
    assert client.get("/console/requests/").status_code == 403

    officer.permissions.add(Permission.objects.get(codename="view_requests"))
    assert client.get("/console/requests/").status_code == 200


def test_a_role_given_through_the_role_itself_opens_the_page_on_the_next_request() -> None:
    pat = make_staff("Marketing", email="pat@goodskinclinics.com")
    client = StaffClient()
    client.force_login(pat)
    assert client.get("/console/requests/").status_code == 403

    starting_role("Privacy officer").user_set.add(pat)  # from the role's side of the relation

    assert client.get("/console/requests/").status_code == 200
