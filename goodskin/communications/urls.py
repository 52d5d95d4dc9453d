from django.urls import path

from goodskin.communications import views

app_name = "communications"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("accounts/messages/", views.preferences, name="preferences"),
    path("accounts/notices/", views.notices, name="notices"),
    path("accounts/notices/read/", views.mark_notices_read, name="notices_read"),
]
