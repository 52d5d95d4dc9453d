from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "goodskin.vault"
    label = "vault"
    verbose_name = "Personal-data vault"

    def ready(self) -> None:
        from goodskin.vault import checks  # noqa: F401, PLC0415  (registers the data-map system checks; models exist by ready())
