"""The vault app's console pages, under /console/ in the "console:vault" namespace."""

from django.urls import path

from goodskin.vault import views as console

app_name = "vault"

urlpatterns = [
    path("data-map/", console.data_map, name="data_map"),
]
