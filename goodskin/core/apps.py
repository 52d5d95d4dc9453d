from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goodskin.core"
    label = "core"
    verbose_name = "Core"
