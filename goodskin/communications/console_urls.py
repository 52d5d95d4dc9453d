"""The communications console pages, under /console/ in the "console:communications" namespace."""

from django.urls import path

from goodskin.communications import console

app_name = "communications"

urlpatterns = [
    path("messages/", console.outbox, name="outbox"),
    path("messages/<int:message_id>/release/", console.release_message, name="release_message"),
    path("campaigns/", console.campaigns, name="campaigns"),
    path("campaigns/new/", console.campaign_edit, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", console.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/edit/", console.campaign_edit, name="campaign_edit"),
    path(
        "campaigns/<int:campaign_id>/progress.json",
        console.campaign_progress,
        name="campaign_progress",
    ),
    path(
        "campaigns/<int:campaign_id>/preview/<str:language>/",
        console.campaign_preview,
        name="campaign_preview",
    ),
]
