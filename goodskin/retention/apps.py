from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _starting_schedule(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    if using != "default":
        return
    # apps.py loads before the models exist; the action is imported once they do.
    from goodskin.retention.actions import ensure_rules  # noqa: PLC0415

    ensure_rules()


class RetentionConfig(AppConfig):
    name = "goodskin.retention"
    label = "retention"
    verbose_name = "Retention rules and legal holds"

    def ready(self) -> None:
        from goodskin.retention import checks  # noqa: F401, PLC0415  (registers the schedule checks)

        # After migrate and after a test flush, like Django's own permissions.
        post_migrate.connect(_starting_schedule, sender=self)
