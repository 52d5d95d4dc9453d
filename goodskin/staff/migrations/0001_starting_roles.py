"""The clinic's starting roles, each a group of capabilities named for what they let someone do.
Frozen here (a migration never imports product code); from now on administrators edit the groups.
Least privilege: no role but the privacy officer's opens people's requests, and the marketing
role sees campaigns and counts, never a person's record."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PRIVACY_OFFICER = (
    "rights.view_requests", "rights.record_request", "rights.fulfil_request",
    "rights.decide_minors_case", "retention.view_schedule", "retention.change_rule",
    "retention.place_hold", "retention.release_hold", "disclosures.view_disclosures",
    "disclosures.record_disclosure", "disclosures.export_deidentified",
    "disclosures.record_business_transfer", "policies.view_versions",
    "policies.draft_version", "policies.publish_version", "incidents.view_incidents",
    "incidents.manage_incident", "vault.view_data_map", "vault.export_person",
    "vault.view_person", "communications.view_outbox", "communications.release_message",
    "audit.view_auditentry",
)
ROLES = {
    "Privacy officer": PRIVACY_OFFICER,
    "Front desk": (
        "rights.record_request",
        "submissions.view_consultationrequest",
        "submissions.view_contactmessage",
    ),
    "Marketing": (
        "communications.view_campaigns", "communications.edit_campaign",
        "communications.send_campaign", "tracking.view_analytics",
    ),
    "Clinician": ("submissions.view_consultationrequest",),
    "Security": (
        "incidents.view_incidents", "incidents.manage_incident", "audit.view_auditentry",
        "communications.view_outbox", "accounts.view_user", "retention.run_backups",
        "vault.manage_keys",
    ),
    "Auditor": (
        "vault.view_data_map", "tracking.view_analytics", "communications.view_campaigns",
        "retention.view_schedule", "disclosures.view_disclosures", "policies.view_versions",
        "incidents.view_incidents", "audit.view_auditentry",
    ),
    "Administrator": (
        "accounts.view_user", "accounts.add_user", "accounts.change_user",
        "auth.view_group", "auth.add_group", "auth.change_group",
    ),
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions exist only after migrate, else
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, capabilities in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for capability in capabilities:
            app_label, codename = capability.split(".")
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("accounts", "0001_initial"),
        ("audit", "0003_event_without_choices"),
        ("communications", "0007_capabilities"),
        ("disclosures", "0003_capabilities"),
        ("incidents", "0003_capabilities"),
        ("policies", "0002_capabilities"),
        ("retention", "0002_capabilities"),
        ("rights", "0008_capabilities"),
        ("submissions", "0002_index_created_at"),
        ("tracking", "0004_capabilities"),
        ("vault", "0002_capabilities"),
    ]

    operations = [migrations.RunPython(create_roles, drop_roles)]
