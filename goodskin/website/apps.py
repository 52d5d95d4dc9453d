from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "goodskin.website"
    label = "website"
    verbose_name = "Website"
