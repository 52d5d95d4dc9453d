from django.apps import AppConfig


class AccessLogConfig(AppConfig):
    """Who at the clinic looked at whom: every staff read of one person's records, its reason,
    the person's own view of it, and an alert when one account reads unusually many people."""

    name = "goodskin.access_log"
    label = "access_log"
    verbose_name = "Staff access to people's records"
