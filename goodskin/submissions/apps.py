from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "goodskin.submissions"
    label = "submissions"
    verbose_name = "Website forms"
