from django.urls import path

from goodskin.submissions import views

app_name = "submissions"

urlpatterns = [
    path("consultation/", views.consultation, name="consultation"),
    path("consultation/sent/", views.consultation_sent, name="consultation_sent"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
]
