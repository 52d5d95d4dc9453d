from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """The top of the house: jobs that draw on every app (the outbox safety net, demo data).

    Nothing imports it, so it may import anything; the layer contract in .importlinter says so.
    """

    name = "goodskin.operations"
    label = "operations"
    verbose_name = "Operations"
