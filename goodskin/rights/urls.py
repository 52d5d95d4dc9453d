from django.urls import path

from goodskin.rights import views

app_name = "rights"

urlpatterns = [
    path("privacy/request/", views.request_form, name="request"),
    path("privacy/request/sent/", views.sent, name="sent"),
    path("privacy/request/verify/", views.verify, name="verify"),
    path("privacy/request/details/", views.details, name="details"),
    path("privacy/request/report/<str:token>/", views.report, name="report"),
    path("privacy/requests-report/", views.metrics, name="metrics"),
]
