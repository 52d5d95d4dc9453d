from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "goodskin.rights"
    label = "rights"
    verbose_name = "Privacy rights requests"
