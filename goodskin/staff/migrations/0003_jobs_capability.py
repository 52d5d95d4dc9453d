"""Security, the privacy officer and the auditor see the periodic jobs and how they ended."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("Security", "Privacy officer", "Auditor")


def forward(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    permission = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="operations", codename="view_jobs"
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.add(permission)


def backward(apps, schema_editor):
    permission = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="operations", codename="view_jobs"
    ).first()
    if permission is not None:
        for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("staff", "0002_manage_staff"), ("operations", "0001_jobs")]

    operations = [migrations.RunPython(forward, backward)]
