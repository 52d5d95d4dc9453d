from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _starting_register(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    if using != "default":
        return
    # apps.py loads before the models exist; the action is imported once they do.
    from goodskin.disclosures.actions import ensure_register  # noqa: PLC0415

    ensure_register()


class DisclosuresConfig(AppConfig):
    name = "goodskin.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures: recipients, the disclosure log, de-identified exports"

    def ready(self) -> None:
        # After migrate and after a test flush, like Django's own permissions.
        post_migrate.connect(_starting_register, sender=self)
