"""Helpers for the policy tests."""

from __future__ import annotations

from typing import Any

from goodskin.accounts.tests.conftest import approved_by_a_second_person
from goodskin.policies.actions import PUBLISH_MATERIAL, publish
from goodskin.policies.models import PolicyVersion


def publish_material(draft: PolicyVersion, reason: str, **options: Any) -> PolicyVersion:
    """Publish a material change as the console does: one officer asks, a second approves."""
    approval = approved_by_a_second_person(PUBLISH_MATERIAL, draft, reason=reason)
    return publish(draft=draft, material=True, reason=reason, approval=approval, **options)
