"""The tracking app's console pages, under /console/ in the "console:tracking" namespace."""

from django.urls import path

from goodskin.tracking import views as console

app_name = "tracking"

urlpatterns = [
    path("analytics/", console.dashboard, name="analytics"),
]
