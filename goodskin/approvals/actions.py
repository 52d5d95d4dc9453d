"""The two-person rule. One staff member asks; a different one, holding the same capability,
approves or refuses; the action runs once, on the approval, and says so. Every step is audited."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from goodskin.approvals.models import Approval, Outcome
from goodskin.audit.actions import record, reference
from goodskin.audit.events import Event


class ApprovalRefused(ValueError):
    pass


def _staff_id(user: Any) -> int:
    if not (getattr(user, "is_active", False) and getattr(user, "is_staff", False)):
        raise ApprovalRefused("Only a signed-in member of staff can ask or approve.")
    return int(user.pk)


@transaction.atomic
def ask(*, action: str, target: models.Model, by: Any, reason: str) -> Approval:
    """Ask for a second person's approval of `action` on `target`."""
    asker = _staff_id(by)
    if not by.has_perm(action):
        raise ApprovalRefused("Your role does not include this action, so you cannot ask for it.")
    if not reason.strip():
        raise ApprovalRefused("Say why: the second person decides on your reason.")
    target_type, target_id = reference(target)
    try:
        with transaction.atomic():
            approval = Approval.objects.create(
                action=action,
                target_type=target_type,
                target_id=target_id,
                asked_by=asker,
                reason=reason.strip(),
            )
    except IntegrityError:
        raise ApprovalRefused("Someone has already asked; it is waiting for a decision.") from None
    record(Event.APPROVAL_ASKED, target=approval, data={"action": action})
    return approval


def waiting_for(action: str, target: models.Model) -> Approval | None:
    target_type, target_id = reference(target)
    return Approval.objects.filter(
        action=action, target_type=target_type, target_id=target_id, outcome=Outcome.WAITING
    ).first()


def waiting_by_target(action: str, model: type[models.Model]) -> dict[str, Approval]:
    """The approvals waiting for `action` on any row of `model`, by row id."""
    found = Approval.objects.filter(
        action=action, target_type=model._meta.label_lower, outcome=Outcome.WAITING
    )
    return {approval.target_id: approval for approval in found}


@transaction.atomic
def decide(*, approval: Approval, by: Any, approve: bool) -> Approval:
    """A second person's answer. The asker cannot answer their own request, and the approver
    must hold the capability the action needs."""
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    decider = _staff_id(by)
    if approval.outcome != Outcome.WAITING:
        raise ApprovalRefused("This was already decided.")
    if decider == approval.asked_by:
        raise ApprovalRefused("You asked for this: a different member of staff must decide it.")
    if not by.has_perm(approval.action):
        raise ApprovalRefused("Your role does not include this action, so you cannot approve it.")
    approval.outcome = Outcome.APPROVED if approve else Outcome.REFUSED
    approval.decided_by, approval.decided_at = decider, timezone.now()
    approval.save(update_fields=["outcome", "decided_by", "decided_at"])
    record(
        Event.APPROVAL_DECIDED,
        target=approval,
        data={"action": approval.action, "approved": approve},
    )
    return approval


def consume(*, approval: Approval, action: str, target: models.Model) -> Approval:
    """Inside the action's own transaction: the approval must be this action's, on this target,
    approved and not yet used; it is used up here, so it can never run the action twice."""
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if (approval.action, (approval.target_type, approval.target_id)) != (
        action,
        reference(target),
    ):
        raise ApprovalRefused("That approval is for something else.")
    if approval.outcome != Outcome.APPROVED:
        raise ApprovalRefused("This needs a second person's approval first.")
    approval.outcome = Outcome.DONE
    approval.save(update_fields=["outcome"])
    return approval
