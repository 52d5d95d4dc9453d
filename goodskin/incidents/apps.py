from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "goodskin.incidents"
    label = "incidents"
    verbose_name = "Security incidents and breach notices"
