from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    """The two-person rule: actions one staff member must not take alone wait for a second
    member's approval."""

    name = "goodskin.approvals"
    label = "approvals"
    verbose_name = "Second approvals"
