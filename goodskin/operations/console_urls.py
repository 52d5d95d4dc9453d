"""The operations app's console page, under /console/ in the "console:operations" namespace."""

from django.urls import path

from goodskin.operations import console

app_name = "operations"

urlpatterns = [path("jobs/", console.jobs, name="jobs")]
