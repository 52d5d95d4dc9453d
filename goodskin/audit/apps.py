from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "goodskin.audit"
    label = "audit"
    verbose_name = "Audit log"
