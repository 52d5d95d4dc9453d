from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from config.api import api
from goodskin.accounts.views import console_sign_in
from goodskin.consent import views as consent_views
from goodskin.tracking.views import dashboard as analytics_dashboard
from goodskin.vault.views import data_map, person_export

admin.site.site_header = "GoodSkin staff console"
admin.site.site_title = "GoodSkin console"
admin.site.index_title = "Privacy and clinic administration"

urlpatterns = [
    path("", include("goodskin.submissions.urls")),
    path("privacy/consent/", consent_views.banner_choice, name="consent_banner"),
    path("privacy/choices/", consent_views.choices_page, name="privacy_choices"),
    path(".well-known/gpc.json", consent_views.gpc_json, name="gpc_json"),
    path("privacy/gpc/", consent_views.gpc_from_script, name="consent_gpc"),
    path("", include("goodskin.website.urls")),
    path("accounts/", include("goodskin.accounts.urls")),
    path("language/", set_language, name="set_language"),
    # Staff sign in through the same throttled, audited form as everyone else.
    path("console/login/", console_sign_in, name="console_login"),
    path("console/data-map/", data_map, name="console_data_map"),
    path("console/analytics/", analytics_dashboard, name="console_analytics"),
    path("console/people/<int:person_id>/export/", person_export, name="console_person_export"),
    path("console/", admin.site.urls),
    path("api/v1/", api.urls),
]
