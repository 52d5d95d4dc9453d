from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from config.api import api
from goodskin.accounts.views import console_sign_in
from goodskin.consent import views as consent_views
from goodskin.incidents import views as incident_views
from goodskin.operations import views as operations_views

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

admin.site.site_header = "GoodSkin staff console"
admin.site.site_title = "GoodSkin console"
admin.site.index_title = "Privacy and clinic administration"

# Staff pages, one namespace per app under "console" (console:rights:request, …); the Django
# admin keeps the rest of /console/.
CONSOLE: list[URLPattern | URLResolver] = [
    # Staff sign in through the same throttled, audited form as everyone else.
    path("login/", console_sign_in, name="login"),
    *(
        path("", include(f"goodskin.{app}.console_urls"))
        for app in (
            "accounts",
            "vault",
            "tracking",
            "communications",
            "retention",
            "disclosures",
            "rights",
            "incidents",
            "policies",
            "access_log",
            "staff",
            "compliance",
            "operations",
        )
    ),
]

urlpatterns = [
    path("healthz", operations_views.healthz, name="healthz"),
    path("readyz", operations_views.readyz, name="readyz"),
    path("metrics", operations_views.metrics_view, name="metrics"),
    # First among the rest: the analytics beacon is the most frequent request, and every pattern
    # tried before a match costs it (a fifth of its time when it came last).
    path("api/v1/", api.urls),
    path("", include("goodskin.submissions.urls")),
    path("privacy/consent/", consent_views.banner_choice, name="consent_banner"),
    path("privacy/choices/", consent_views.choices_page, name="privacy_choices"),
    path(".well-known/gpc.json", consent_views.gpc_json, name="gpc_json"),
    path("privacy/gpc/", consent_views.gpc_from_script, name="consent_gpc"),
    path("", include("goodskin.website.urls")),
    path("", include("goodskin.communications.urls")),
    path("", include("goodskin.rights.urls")),
    path("", include("goodskin.policies.urls")),
    path("accounts/", include("goodskin.accounts.urls")),
    path("language/", set_language, name="set_language"),
    path("privacy/breach-notice/<int:pk>/", incident_views.breach_notice, name="breach_notice"),
    path("console/", include((CONSOLE, "console"))),
    path("console/", admin.site.urls),
]
