"""Every staff door declares who may pass: a capability to open it, and one to act through it.

`@staff_door("rights.view_requests", act="rights.fulfil_request")` on a console view: people who
are not signed in as staff go to the console's sign-in (as Django's admin does); staff whose roles
lack the capability get a 403 page naming what their role does not include; a POST also needs the
`act` capability when one is given, and a `fresh` door asks for the second factor again when
it is older than a few minutes (accounts.factors.step_up). The declaration stays on the view
(`view.door`), so a system check can refuse a console URL that declares none and the
access-matrix test can read what each URL expects. Capabilities are Django permissions named
for what they let someone do (`rights.fulfil_request`), declared beside the models of their app
and granted through roles.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

View = TypeVar("View", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class Door:
    see: str | None  # the capability to open the page; None: any staff member (or public)
    act: str | None = None  # the capability a POST needs as well
    public: bool = False  # anyone may pass (the sign-in page itself)
    # A high-risk door: acting through it (a POST, or any request to a door without `act`, such
    # as a download) needs the second factor given in the last STAFF_STEP_UP_MINUTES.
    fresh: bool = False

    def wants_fresh_factor(self, method: str) -> bool:
        return self.fresh and (self.act is None or method == "POST")

    def lets(self, user: Any, method: str) -> bool:
        if self.public:
            return True
        if not (getattr(user, "is_active", False) and getattr(user, "is_staff", False)):
            return False
        wanted = [self.see] + ([self.act] if method == "POST" else [])
        return all(capability is None or user.has_perm(capability) for capability in wanted)


class RoleLacks(PermissionDenied):
    """A staff member whose roles do not include the capability: a 403 that names it."""


def staff_door(
    see: str | None, *, act: str | None = None, fresh: bool = False
) -> Callable[[View], View]:
    door = Door(see=see, act=act, fresh=fresh)

    def wrap(view: View) -> View:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not door.lets(request.user, request.method or "GET"):
                missing = next(
                    capability
                    for capability in (door.see, door.act)
                    if capability is not None and not request.user.has_perm(capability)
                )
                raise RoleLacks(
                    f"Your role does not include “{capability_name(missing)}”. Ask the clinic's "
                    "administrator for a role that does."
                )
            if door.wants_fresh_factor(request.method or "GET"):
                asked = import_string(settings.STAFF_STEP_UP)(request)
                if asked is not None:
                    return asked  # type: ignore[no-any-return]  # the step-up page
            return view(request, *args, **kwargs)

        signed_in_staff = staff_member_required(guarded)
        signed_in_staff.door = door  # type: ignore[attr-defined]  # read by checks and tests
        return signed_in_staff  # type: ignore[return-value]  # same call signature

    return wrap


def capability_name(capability: str) -> str:
    """The capability as people read it ("See privacy requests"), from its permission row."""
    app_label, codename = capability.split(".", 1)
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return found.values_list("name", flat=True).first() or capability


def public_door[View: Callable[..., Any]](view: View) -> View:
    """Declare that a view or endpoint is open to everyone (the console's sign-in, the public
    API): saying so is the declaration the checks ask for."""
    view.door = Door(see=None, public=True)  # type: ignore[attr-defined]
    return view


def declares[Endpoint: Callable[..., Any]](door: Door) -> Callable[[Endpoint], Endpoint]:
    """Put a door on an API endpoint that checks it itself (`door.lets(...)`), so it can answer
    in the API's own words and with the status its OpenAPI document names."""

    def mark(endpoint: Endpoint) -> Endpoint:
        endpoint.door = door  # type: ignore[attr-defined]
        return endpoint

    return mark


def door_of(view: Callable[..., Any]) -> Door | None:
    return getattr(view, "door", None)
