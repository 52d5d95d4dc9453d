"""Every kind of request has its own fulfilment step: a new kind without one fails here, not in
front of the privacy officer."""

from __future__ import annotations

from goodskin.rights.actions.fulfilment import FULFIL
from goodskin.rights.models import RequestKind


def test_every_kind_of_request_has_exactly_one_fulfilment_step() -> None:
    assert set(FULFIL) == set(RequestKind.values)
    reports = {
        kind for kind, step in FULFIL.items() if getattr(step, "__name__", "") == "_send_report"
    }
    assert reports == {"know", "access", "portability", "list_third_parties"}
