"""The staff app's console page, under /console/ in the "console:staff" namespace."""

from django.urls import path

from goodskin.staff import console

app_name = "staff"

urlpatterns = [path("staff/", console.accounts, name="accounts")]
