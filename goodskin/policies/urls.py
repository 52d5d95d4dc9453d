from django.urls import path

from goodskin.policies import views

app_name = "policies"

urlpatterns = [
    path("privacy/", views.document_page, {"document": "privacy"}, name="privacy"),
    path(
        "privacy/state-notice/",
        views.document_page,
        {"document": "state_notice"},
        name="state_notice",
    ),
    path("terms/", views.document_page, {"document": "terms"}, name="terms"),
    path("privacy/versions/", views.versions, name="versions"),
    path("privacy/versions/<str:document>/<int:number>/", views.version, name="version"),
    path("privacy/accept/<int:pk>/", views.accept, name="accept"),
]
