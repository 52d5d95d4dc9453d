from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "goodskin.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from goodskin.accounts import receivers  # noqa: F401  (framework hooks: sign-in/out audit)
