"""The staff app's console pages, under /console/ in the "console:staff" namespace."""

from django.urls import path

from goodskin.staff import console

app_name = "staff"

urlpatterns = [
    path("staff/", console.accounts, name="accounts"),
    path("staff/invite/", console.invite, name="invite"),
    path("staff/<int:account_id>/", console.change, name="change"),
    path("staff/grants/<int:grant_id>/", console.decide_grant, name="decide_grant"),
    path("invitation/<str:token>/", console.invitation, name="invitation"),
]
