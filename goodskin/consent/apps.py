from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "goodskin.consent"
    label = "consent"
    verbose_name = "Consent and opt-out signals"
