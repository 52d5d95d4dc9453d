"""The policies app's console pages, under /console/ in the "console:policies" namespace."""

from django.urls import path

from goodskin.policies import console

app_name = "policies"

urlpatterns = [
    path("policies/", console.overview, name="overview"),
    path("policies/new/<str:document>/", console.new_draft, name="new"),
    path("policies/<int:pk>/edit/", console.edit, name="edit"),
    path("policies/<int:pk>/publish/", console.publish, name="publish"),
]
