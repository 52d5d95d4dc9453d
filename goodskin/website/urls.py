from django.urls import path

from goodskin.website import views

app_name = "website"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.services, name="services"),
    path("team/", views.team, name="team"),
    path("clinics/", views.clinics, name="clinics"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/state-notice/", views.state_notice, name="state_notice"),
    path("terms/", views.terms, name="terms"),
]
