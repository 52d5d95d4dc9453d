from django.apps import AppConfig


class JurisdictionsConfig(AppConfig):
    """The law as data: privacy rights and clocks per state, breach notification per state and
    under HIPAA, the regulators, and the business-day arithmetic. Pure tables and functions;
    no models, so nothing here can be changed from the console."""

    name = "goodskin.jurisdictions"
    label = "jurisdictions"
    verbose_name = "Jurisdictions"
