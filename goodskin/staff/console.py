"""Who holds which role, and the administrator's tools: invite, give a role (on a second
administrator's approval), take one away, reset a lost second factor, deactivate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from goodskin.accounts import factors
from goodskin.accounts.models import RoleGrant, User
from goodskin.approvals.actions import ApprovalRefused, decide, waiting_by_target
from goodskin.core.console import console_page
from goodskin.core.doors import public_door, staff_door
from goodskin.staff import actions
from goodskin.staff.queries import staff_accounts


def _page(request: HttpRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    waiting = waiting_by_target(actions.GRANT_ROLE, RoleGrant)
    grants = RoleGrant.objects.filter(pk__in=[int(pk) for pk in waiting]).select_related(
        "account", "role"
    )
    return console_page(
        request,
        "staff/console/accounts.html",
        "Staff accounts and roles",
        status=status,
        accounts=staff_accounts(),
        roles=Group.objects.order_by("name"),
        waiting=[(grant, waiting[str(grant.pk)]) for grant in grants],
        manages=request.user.has_perm(actions.MANAGE_STAFF),
        **extra,
    )


def _chosen_role(request: HttpRequest) -> Group | None:
    """The role the form names, if it names one that exists."""
    role_id = request.POST.get("role", "")
    return Group.objects.filter(pk=int(role_id)).first() if role_id.isdigit() else None


@staff_door("accounts.view_user")
def accounts(request: HttpRequest) -> HttpResponse:
    return _page(request)


@staff_door("accounts.view_user", act=actions.MANAGE_STAFF, fresh=True)
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    role = _chosen_role(request)
    try:
        actions.invite(
            email=request.POST.get("email", ""),
            full_name=request.POST.get("full_name", ""),
            role=role,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except (actions.StaffChangeRefused, ApprovalRefused) as refused:
        field = getattr(refused, "field", None) or "email"
        return _page(
            request,
            status=400,
            invite_error=str(refused),
            invite_field=field,
            invite_values=request.POST,
        )
    messages.success(
        request,
        "Invitation sent. "
        + ("The role waits for a second administrator's approval." if role else ""),
    )
    return redirect("console:staff:accounts")


@staff_door("accounts.view_user", act=actions.MANAGE_STAFF, fresh=True)
@require_POST
def change(request: HttpRequest, account_id: int) -> HttpResponse:
    """One change to one account, named by `do`."""
    account = get_object_or_404(User, pk=account_id, is_staff=True)
    do = request.POST.get("do", "")
    role = _chosen_role(request)
    try:
        if do == "ask_role" and role is not None:
            actions.ask_for_role(
                account=account, role=role, by=request.user, reason=request.POST.get("reason", "")
            )
            done = f"Giving “{role.name}” now waits for a second administrator's approval."
        elif do == "remove_role" and role is not None:
            actions.remove_role(account=account, role=role, by=request.user)
            done = f"“{role.name}” taken away."
        elif do == "reset_second_factor":
            actions.reset_second_factor(account=account, by=request.user)
            done = "Second factor reset; they were told by email and set up a new one next time."
        elif do == "deactivate":
            actions.deactivate(account=account, by=request.user)
            done = "Account deactivated; its sessions have ended."
        else:
            return _page(
                request,
                status=400,
                change_error="Choose a change and, for roles, a role.",
                change_account=account.pk,
            )
    except (actions.StaffChangeRefused, ApprovalRefused) as refused:
        return _page(request, status=400, change_error=str(refused), change_account=account.pk)
    messages.success(request, done)
    return redirect("console:staff:accounts")


@staff_door("accounts.view_user", act=actions.MANAGE_STAFF, fresh=True)
@require_POST
def decide_grant(request: HttpRequest, grant_id: int) -> HttpResponse:
    """A second administrator approves (and the role is given) or refuses."""
    grant = get_object_or_404(RoleGrant, pk=grant_id, granted_at__isnull=True)
    approval = waiting_by_target(actions.GRANT_ROLE, RoleGrant).get(str(grant.pk))
    if approval is None:
        return _page(request, status=400, change_error="Nothing is waiting for a decision there.")
    approve = request.POST.get("step") == "approve"
    try:
        decided = decide(approval=approval, by=request.user, approve=approve)
        if approve:
            actions.grant_role(grant=grant, approval=decided)
    except (actions.StaffChangeRefused, ApprovalRefused) as refused:
        return _page(
            request, status=400, change_error=str(refused), change_account=grant.account_id
        )
    messages.success(
        request, f"“{grant.role.name}” given." if approve else "Refused; nothing changed."
    )
    return redirect("console:staff:accounts")


@public_door
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee chooses a password; the second factor's enrolment comes next."""
    try:
        invited = actions.invitation_for(token)
    except actions.StaffChangeRefused as refused:
        return console_page(
            request,
            "staff/console/invitation.html",
            "Your invitation",
            status=400,
            refused=str(refused),
        )
    if request.method == "POST":
        password = request.POST.get("password", "")
        if password != request.POST.get("password_again", ""):
            error = "The two passwords are not the same. Type the same password twice."
        else:
            try:
                account = actions.accept_invitation(token=token, password=password)
            except actions.StaffChangeRefused as refused:
                error = str(refused)
            else:
                factors.begin(request, account, "/console/")
                return redirect("console:accounts:second_factor")
        return console_page(
            request,
            "staff/console/invitation.html",
            "Your invitation",
            status=400,
            account=invited.account,
            error=error,
        )
    return console_page(
        request, "staff/console/invitation.html", "Your invitation", account=invited.account
    )
