"""The incidents app's console pages, under /console/ in the "console:incidents" namespace."""

from django.urls import path

from goodskin.incidents import console

app_name = "incidents"

urlpatterns = [
    path("incidents/", console.incidents, name="list"),
    path("incidents/new/", console.new, name="new"),
    path("incidents/<int:pk>/", console.detail, name="detail"),
]
