from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "goodskin.retention"
    label = "retention"
    verbose_name = "Retention rules and legal holds"
