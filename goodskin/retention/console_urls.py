"""The retention app's console pages, under /console/ in the "console:retention" namespace."""

from django.urls import path

from goodskin.retention import console

app_name = "retention"

urlpatterns = [
    path("retention/", console.schedule, name="schedule"),
    path("retention/dry-run/", console.dry_run, name="dry_run"),
    path("retention/rules/<slug:key>/", console.change_rule, name="rule"),
    path("retention/holds/", console.place_hold, name="place_hold"),
    path("retention/holds/<int:hold_id>/release/", console.release_hold, name="release_hold"),
]
