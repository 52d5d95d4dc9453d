"""The compliance page, under /console/ in the "console:compliance" namespace."""

from django.urls import path

from goodskin.compliance import console

app_name = "compliance"

urlpatterns = [
    path("compliance/", console.overview, name="overview"),
    path("compliance/evidence/", console.evidence, name="evidence"),
]
