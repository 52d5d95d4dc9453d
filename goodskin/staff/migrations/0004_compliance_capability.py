"""The privacy officer, the auditor and security see which clauses of the policy are verified."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("Security", "Privacy officer", "Auditor")


def forward(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    permission = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="compliance", codename="view_compliance"
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.add(permission)


def backward(apps, schema_editor):
    permission = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="compliance", codename="view_compliance"
    ).first()
    if permission is not None:
        for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("staff", "0003_jobs_capability"), ("compliance", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
