from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from config.api import api
from goodskin.accounts.views import console_sign_in
from goodskin.communications import console as comms_console
from goodskin.consent import views as consent_views
from goodskin.disclosures import console as disclosures_console
from goodskin.incidents import console as incidents_console
from goodskin.incidents import views as incident_views
from goodskin.policies import console as policies_console
from goodskin.retention import console as retention_console
from goodskin.rights import console as rights_console
from goodskin.tracking.views import dashboard as analytics_dashboard
from goodskin.vault.views import data_map, person_export

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

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
    path("", include("goodskin.communications.urls")),
    path("", include("goodskin.rights.urls")),
    path("", include("goodskin.policies.urls")),
    path("accounts/", include("goodskin.accounts.urls")),
    path("language/", set_language, name="set_language"),
    path("privacy/breach-notice/<int:pk>/", incident_views.breach_notice, name="breach_notice"),
    # Staff sign in through the same throttled, audited form as everyone else.
    path("console/login/", console_sign_in, name="console_login"),
    path("console/data-map/", data_map, name="console_data_map"),
    path("console/analytics/", analytics_dashboard, name="console_analytics"),
    path("console/people/<int:person_id>/export/", person_export, name="console_person_export"),
    path("console/messages/", comms_console.outbox, name="console_outbox"),
    path(
        "console/messages/<int:message_id>/release/",
        comms_console.release_message,
        name="console_release_message",
    ),
    path("console/campaigns/", comms_console.campaigns, name="console_campaigns"),
    path("console/campaigns/new/", comms_console.campaign_edit, name="console_campaign_new"),
    path(
        "console/campaigns/<int:campaign_id>/",
        comms_console.campaign_detail,
        name="console_campaign",
    ),
    path(
        "console/campaigns/<int:campaign_id>/edit/",
        comms_console.campaign_edit,
        name="console_campaign_edit",
    ),
    path(
        "console/campaigns/<int:campaign_id>/progress.json",
        comms_console.campaign_progress,
        name="console_campaign_progress",
    ),
    path(
        "console/campaigns/<int:campaign_id>/preview/<str:language>/",
        comms_console.campaign_preview,
        name="console_campaign_preview",
    ),
    path("console/retention/", retention_console.schedule, name="console_retention"),
    path("console/retention/dry-run/", retention_console.dry_run, name="console_retention_dry_run"),
    path(
        "console/retention/rules/<slug:key>/",
        retention_console.change_rule,
        name="console_retention_rule",
    ),
    path("console/retention/holds/", retention_console.place_hold, name="console_place_hold"),
    path(
        "console/retention/holds/<int:hold_id>/release/",
        retention_console.release_hold,
        name="console_release_hold",
    ),
    path("console/disclosures/", disclosures_console.disclosures, name="console_disclosures"),
    path(
        "console/disclosures/record/",
        disclosures_console.record,
        name="console_disclosures_record",
    ),
    path(
        "console/disclosures/export/",
        disclosures_console.export,
        name="console_disclosures_export",
    ),
    path("console/requests/", rights_console.queue, name="console_requests"),
    path("console/requests/new/", rights_console.enter, name="console_request_new"),
    path("console/minors/", rights_console.minors, name="console_minors"),
    path("console/requests/<str:reference>/", rights_console.detail, name="console_request"),
    path(
        "console/requests/<str:reference>/document/",
        rights_console.document,
        name="console_request_document",
    ),
    path("console/incidents/", incidents_console.incidents, name="console_incidents"),
    path("console/incidents/new/", incidents_console.new, name="console_incident_new"),
    path("console/incidents/<int:pk>/", incidents_console.detail, name="console_incident"),
    path("console/policies/", policies_console.overview, name="console_policies"),
    path(
        "console/policies/new/<str:document>/",
        policies_console.new_draft,
        name="console_policy_new",
    ),
    path("console/policies/<int:pk>/edit/", policies_console.edit, name="console_policy_edit"),
    path(
        "console/policies/<int:pk>/publish/",
        policies_console.publish,
        name="console_policy_publish",
    ),
    path("console/", admin.site.urls),
    path("api/v1/", api.urls),
]
