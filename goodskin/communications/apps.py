from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "goodskin.communications"
    label = "communications"
    verbose_name = "Communications: outbox, preferences and notices"
