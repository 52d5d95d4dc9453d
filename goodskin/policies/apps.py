from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "goodskin.policies"
    label = "policies"
    verbose_name = "Policies and jurisdiction rules"
