from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "goodskin.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures: recipients, the disclosure log, de-identified exports"
