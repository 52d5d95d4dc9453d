"""The rights app's console pages, under /console/ in the "console:rights" namespace."""

from django.urls import path

from goodskin.rights import console

app_name = "rights"

urlpatterns = [
    path("people/<int:person_id>/export/", console.person_export, name="person_export"),
    path("requests/", console.queue, name="queue"),
    path("requests/new/", console.enter, name="new"),
    path("minors/", console.minors, name="minors"),
    path("requests/<str:reference>/", console.detail, name="request"),
    path("requests/<str:reference>/document/", console.document, name="document"),
]
