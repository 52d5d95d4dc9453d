from django.apps import AppConfig


class StaffConfig(AppConfig):
    """Staff roles: groups of capabilities (core/doors.py), created by migration 0001 and edited
    by an administrator from then on, and the checks that every console door declares one."""

    name = "goodskin.staff"
    label = "staff"
    verbose_name = "Staff roles"

    def ready(self) -> None:
        from goodskin.staff import checks  # noqa: F401, PLC0415  (registers the door check)
