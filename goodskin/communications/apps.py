from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "goodskin.communications"
    label = "communications"
    verbose_name = "Communications: outbox, preferences and notices"

    def ready(self) -> None:
        from goodskin.communications import checks  # noqa: F401, PLC0415  (registers the system checks; models exist by ready())
