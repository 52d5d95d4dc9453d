from django.urls import path

from goodskin.website import views

app_name = "website"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.services, name="services"),
    path("team/", views.team, name="team"),
    path("clinics/", views.clinics, name="clinics"),
]
