"""The disclosures app's console pages, under /console/ in the "console:disclosures" namespace."""

from django.urls import path

from goodskin.disclosures import console

app_name = "disclosures"

urlpatterns = [
    path("disclosures/", console.disclosures, name="list"),
    path("disclosures/record/", console.record, name="record"),
    path("disclosures/export/", console.export, name="export"),
]
