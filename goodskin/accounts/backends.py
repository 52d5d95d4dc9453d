"""Django's model backend, with each account's capabilities remembered between requests.

Loading a staff member's capabilities joins permissions, groups and content types twice, and
cost more than the rest of the door's check on every console request. The set is kept in the
process's cache under the account's `roles_generation`, which any change to the account's roles
or to a role's capabilities raises (accounts.receivers), so a change takes effect on the next
request in every process: a process holding an older set never reads it again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

HOUR = 3600


def _key(user: Any) -> str:
    # date_joined tells apart two accounts that share a number (a restored database, a test).
    joined = user.date_joined.timestamp() if user.date_joined else 0
    return f"capabilities:{user.pk}:{joined}:{user.roles_generation}"


class CapabilityBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = _key(user_obj)
            found = cache.get(key)
            if found is None:
                found = super().get_all_permissions(user_obj)
                cache.set(key, frozenset(found), HOUR)
            user_obj._perm_cache = set(found)
        return user_obj._perm_cache  # type: ignore[no-any-return]  # set just above
