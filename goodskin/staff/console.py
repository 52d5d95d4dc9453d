"""Who holds which role: every staff account, its roles, whether it is active, and when it last
signed in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from goodskin.core.console import console_page
from goodskin.core.doors import staff_door
from goodskin.staff.queries import staff_accounts


@staff_door("accounts.view_user")
def accounts(request: HttpRequest) -> HttpResponse:
    return console_page(
        request,
        "staff/console/accounts.html",
        "Staff accounts and roles",
        accounts=staff_accounts(),
    )
