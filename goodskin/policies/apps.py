from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _first_versions(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    if using != "default":
        return
    # apps.py loads before the models exist; the action is imported once they do.
    from goodskin.policies.actions import ensure_first_versions  # noqa: PLC0415

    ensure_first_versions()


class PoliciesConfig(AppConfig):
    name = "goodskin.policies"
    label = "policies"
    verbose_name = "Policies and jurisdiction rules"

    def ready(self) -> None:
        # After migrate and after a test flush, like the recipient register.
        post_migrate.connect(_first_versions, sender=self)
