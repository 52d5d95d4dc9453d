"""Every change to a staff account: invitations, roles, deactivation and second-factor resets.

Roles are given only on a second member of staff's approval (approvals.ask / decide); taking a
role away, deactivating and resetting need one person, because they reduce access, but never
leave the clinic without an administrator. Each change is audited and told to the person.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from goodskin.accounts.models import RecoveryCode, RoleGrant, SecondFactor, StaffInvitation, User
from goodskin.approvals.actions import ask, consume
from goodskin.approvals.models import Approval
from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions.outbox import queue_essential_email
from goodskin.core.validation import normalise_email
from goodskin.staff.queries import administrators, roles_managing_staff

MANAGE_STAFF = "accounts.manage_staff"
GRANT_ROLE = MANAGE_STAFF  # the approval a role grant needs is a second holder of this capability
INVITATION_DAYS = 3


class StaffChangeRefused(ValueError):
    """A change that would break a rule, with the sentence that says which."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _may_manage(by: Any) -> None:
    if not (getattr(by, "is_active", False) and by.is_staff and by.has_perm(MANAGE_STAFF)):
        raise StaffChangeRefused("Only an administrator can change staff accounts.")


def _holds_manage_staff(account: User, *, besides: Group | None = None) -> bool:
    roles = account.groups.filter(pk__in=roles_managing_staff().values("pk"))
    if besides is not None:
        roles = roles.exclude(pk=besides.pk)
    return account.is_superuser or roles.exists()


def _keeps_an_administrator(account: User, *, losing: Group | None = None) -> bool:
    """Whether an administrator remains once `account` loses the role `losing` (or, with no
    role named, is deactivated)."""
    remaining = administrators()
    if losing is None or not _holds_manage_staff(account, besides=losing):
        remaining.discard(account.pk)
    return bool(remaining)


NO_ADMINISTRATOR_LEFT = (
    "That would leave the clinic with no administrator. Give someone else the Administrator "
    "role first."
)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _email(account: User, template: str, **context: Any) -> None:
    queue_essential_email(
        person=account.person,
        template=f"staff/email/{template}",
        language="en",  # the console and its mail are in English
        context={"account": account, **context},
    )


@transaction.atomic
def invite(
    *, email: str, full_name: str, role: Group | None, by: Any, reason: str
) -> tuple[User, str]:
    """Open a staff account with no role and no password, and email its holder a one-time link
    (three days). A role, if given, waits for a second administrator's approval. Returns the
    account and the link's token (shown to no one but the invitee)."""
    _may_manage(by)
    address = normalise_email(email)
    if not address or "@" not in address:
        raise StaffChangeRefused(
            "Give the new member of staff's work email address.", field="email"
        )
    if not full_name.strip():
        raise StaffChangeRefused("Give their name as colleagues know it.", field="full_name")
    if User.objects.filter(email=address).exists():
        raise StaffChangeRefused(
            "That address already has an account. Each person has their own staff account; "
            "use a different address.",
            field="email",
        )
    account = User.objects.create_user(address, None, full_name=full_name.strip(), is_staff=True)
    token = secrets.token_urlsafe(32)
    StaffInvitation.objects.create(
        account=account,
        token_hash=_token_hash(token),
        invited_by=by.pk,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    record(Event.STAFF_INVITED, subject=account, target=account)
    link = settings.SITE_URL + reverse("console:staff:invitation", args=[token])
    _email(account, "invitation", link=link, days=INVITATION_DAYS)
    if role is not None:
        ask_for_role(account=account, role=role, by=by, reason=reason or "New member of staff")
    return account, token


def invitation_for(token: str) -> StaffInvitation:
    """The invitation this link belongs to, if it still works."""
    invitation = (
        StaffInvitation.objects.select_related("account")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or invitation.accepted_at is not None:
        raise StaffChangeRefused(
            "This invitation link has already been used or is not one of ours. Sign in with "
            "your password, or ask the clinic's administrator for a new invitation."
        )
    if invitation.expires_at <= timezone.now():
        raise StaffChangeRefused(
            f"This invitation expired {INVITATION_DAYS} days after it was sent. Ask the "
            "clinic's administrator to invite you again."
        )
    if not invitation.account.is_active:
        raise StaffChangeRefused("This account has been deactivated.")
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str) -> User:
    """Set the invitee's password; the link stops working. The second factor comes next."""
    invitation = invitation_for(token)
    account = invitation.account
    try:
        password_validation.validate_password(password, account)
    except ValidationError as invalid:
        raise StaffChangeRefused(" ".join(invalid.messages), field="password") from None
    account.set_password(password)
    account.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record(Event.INVITATION_ACCEPTED, subject=account, target=account)
    return account


@transaction.atomic
def ask_for_role(*, account: User, role: Group, by: Any, reason: str) -> RoleGrant:
    _may_manage(by)
    if not account.is_staff or not account.is_active:
        raise StaffChangeRefused("Roles are for active staff accounts.")
    if account.groups.filter(pk=role.pk).exists():
        raise StaffChangeRefused(f"This account already holds the role “{role.name}”.")
    if RoleGrant.objects.filter(account=account, role=role, granted_at__isnull=True).exists():
        raise StaffChangeRefused(f"Giving “{role.name}” is already waiting for approval.")
    grant = RoleGrant.objects.create(account=account, role=role, asked_by=by.pk)
    ask(action=GRANT_ROLE, target=grant, by=by, reason=reason)
    return grant


@transaction.atomic
def grant_role(*, grant: RoleGrant, approval: Approval) -> None:
    """Give the role, once, on a second administrator's approval."""
    grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    consume(approval=approval, action=GRANT_ROLE, target=grant)
    grant.account.groups.add(grant.role)
    grant.granted_at = timezone.now()
    grant.save(update_fields=["granted_at"])
    record(
        Event.ROLE_GRANTED,
        subject=grant.account,
        target=grant.account,
        data={"role": grant.role.pk, "approval": approval.pk},
    )
    _email(grant.account, "role_granted", role=grant.role.name)


@transaction.atomic
def remove_role(*, account: User, role: Group, by: Any) -> None:
    _may_manage(by)
    if not account.groups.filter(pk=role.pk).exists():
        raise StaffChangeRefused(f"This account does not hold the role “{role.name}”.")
    if not _keeps_an_administrator(account, losing=role):
        raise StaffChangeRefused(NO_ADMINISTRATOR_LEFT)
    account.groups.remove(role)
    record(Event.ROLE_REMOVED, subject=account, target=account, data={"role": role.pk})


def record_role_edit(
    *, role: Group, added: set[tuple[str, str]], removed: set[tuple[str, str]]
) -> None:
    """Audit a change to a role's capabilities, by capability name (no one's values)."""
    if added or removed:
        record(
            Event.ROLE_EDITED,
            target=role,
            data={
                "added": sorted(f"{app}.{code}" for app, code in added),
                "removed": sorted(f"{app}.{code}" for app, code in removed),
            },
        )


def _end_sessions(account: User) -> None:
    User.objects.filter(pk=account.pk).update(sessions_generation=F("sessions_generation") + 1)


@transaction.atomic
def deactivate(*, account: User, by: Any) -> None:
    """The account signs in no more and its sessions end at once; its records stay."""
    _may_manage(by)
    if not account.is_active:
        raise StaffChangeRefused("This account is already deactivated.")
    if not _keeps_an_administrator(account):
        raise StaffChangeRefused(NO_ADMINISTRATOR_LEFT)
    User.objects.filter(pk=account.pk).update(is_active=False)
    _end_sessions(account)
    record(Event.STAFF_DEACTIVATED, subject=account, target=account)


@transaction.atomic
def reset_second_factor(*, account: User, by: Any) -> None:
    """For a lost phone: every second factor and recovery code of the account goes, its sessions
    end, and its holder is told by email; they enrol again at their next sign-in."""
    _may_manage(by)
    if account.pk == by.pk:
        raise StaffChangeRefused(
            "You cannot reset your own second factor: another administrator must, so that a "
            "stolen password alone is never enough."
        )
    removed = SecondFactor.objects.filter(user=account).delete()[0]
    RecoveryCode.objects.filter(user=account).delete()
    _end_sessions(account)
    record(
        Event.SECOND_FACTOR_RESET,
        subject=account,
        target=account,
        data={"factors": removed, "by": by.pk},
    )
    _email(account, "second_factor_reset")
