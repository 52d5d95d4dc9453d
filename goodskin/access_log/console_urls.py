"""The access log's console page, under /console/ in the "console:access_log" namespace."""

from django.urls import path

from goodskin.access_log import console

app_name = "access_log"

urlpatterns = [path("access/", console.reads, name="reads")]
