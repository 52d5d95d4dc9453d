"""An opt-out request stops sale, sharing and targeted advertising everywhere at once: the mail
suppression, and the consent choice and GPP string of every browser the person uses."""

from __future__ import annotations

import pytest
from django.test import Client

from goodskin.accounts.tests.conftest import PASSWORD, make_account
from goodskin.consent import gpp
from goodskin.consent.models import ConsentRecord, Source
from goodskin.rights.models import DataRequest, Status

pytestmark = pytest.mark.django_db


def browser_that_accepted_all(*, signs_in: bool) -> Client:
    browser = Client()
    browser.post("/privacy/consent/", {"choice": "accept_all"})
    if signs_in:
        browser.post("/accounts/login/", {"email": "rosa@example.com", "password": PASSWORD})
    return browser


def sale_opt_outs(browser: Client) -> tuple[bool | None, int, int, int]:
    consent = browser.get("/api/v1/consent").json()
    usnat = gpp.decode(consent["gpp"])["usnat"]
    return (
        consent["choices"]["marketing"],
        usnat["SaleOptOut"],
        usnat["SharingOptOut"],
        usnat["TargetedAdvertisingOptOut"],
    )


def opt_out_by_request(email: str = "rosa@example.com") -> DataRequest:
    Client().post(
        "/privacy/request/",
        {"kind": "opt_out", "state": "CA", "email": email, "details": ""},
    )
    request = DataRequest.objects.get(kind="opt_out")
    assert request.status == Status.FULFILLED
    return request


def test_an_opt_out_request_reaches_every_browser_the_person_used_and_their_gpp_string() -> None:
    make_account()
    laptop, phone = (browser_that_accepted_all(signs_in=True) for _ in range(2))
    strangers = browser_that_accepted_all(signs_in=False)
    assert sale_opt_outs(laptop) == (True, 2, 2, 2)

    opt_out_by_request()

    assert sale_opt_outs(laptop) == (False, 1, 1, 1)
    assert sale_opt_outs(phone) == (False, 1, 1, 1)
    assert sale_opt_outs(strangers) == (True, 2, 2, 2)  # never signed in as Rosa: not hers
    records = ConsentRecord.objects.filter(source=Source.PRIVACY_REQUEST)
    assert sorted(bool(record.browser_id) for record in records) == [False, True, True]
    assert {(r.preferences, r.analytics) for r in records if r.browser_id} == {(True, True)}


def test_a_browser_she_signs_in_on_later_is_opted_out_once_and_stays_so() -> None:
    make_account()
    opt_out_by_request()
    tablet = browser_that_accepted_all(signs_in=False)
    assert sale_opt_outs(tablet) == (True, 2, 2, 2)

    tablet.post("/accounts/login/", {"email": "rosa@example.com", "password": PASSWORD})

    assert sale_opt_outs(tablet) == (False, 1, 1, 1)
    assert sale_opt_outs(tablet) == (False, 1, 1, 1)
    assert ConsentRecord.objects.filter(source=Source.PRIVACY_REQUEST).count() == 2


def test_accepting_marketing_again_afterwards_on_a_browser_is_her_own_later_choice() -> None:
    make_account()
    laptop = browser_that_accepted_all(signs_in=True)
    opt_out_by_request()
    assert sale_opt_outs(laptop)[0] is False

    laptop.post("/privacy/consent/", {"choice": "accept_all"})

    assert sale_opt_outs(laptop) == (True, 2, 2, 2)


def test_an_opt_out_for_an_address_we_do_not_know_touches_no_browser() -> None:
    make_account()
    laptop = browser_that_accepted_all(signs_in=True)
    opt_out_by_request("someone.else@example.com")
    assert sale_opt_outs(laptop) == (True, 2, 2, 2)
