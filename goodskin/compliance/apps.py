from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """The published policy, verified: each clause tied to checks that read the running system
    (registry.py), run nightly and on demand, with their history and the clauses left unverified."""

    name = "goodskin.compliance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from goodskin.compliance import checks  # noqa: F401, PLC0415  (registers the system check)
