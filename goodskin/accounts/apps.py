from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "goodskin.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from goodskin.accounts import receivers  # noqa: F401, PLC0415  (hooks connect once models exist)
