from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "goodskin.tracking"
    label = "tracking"
    verbose_name = "First-party analytics"
