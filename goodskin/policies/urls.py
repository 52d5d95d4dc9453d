from django.urls import path

from goodskin.policies import views

app_name = "policies"

urlpatterns = [
    path("privacy/versions/", views.versions, name="versions"),
    path("privacy/versions/<str:document>/<int:number>/", views.version, name="version"),
    path("privacy/accept/<int:pk>/", views.accept, name="accept"),
]
