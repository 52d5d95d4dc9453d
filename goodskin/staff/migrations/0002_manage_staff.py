"""Administrators get the capability to invite staff, change roles and reset second factors;
clinicians see only their own clinic's consultation requests."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADDED = {
    "Administrator": ("accounts.manage_staff",),
    "Clinician": ("submissions.view_clinic_consultations",),
}
TAKEN = {"Clinician": ("submissions.view_consultationrequest",)}


def _permission(apps, capability):
    app_label, codename = capability.split(".")
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=app_label, codename=codename
    )


def _ensure_permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def forward(apps, schema_editor):
    _ensure_permissions(apps)
    group_model = apps.get_model("auth", "Group")
    for name, capabilities in ADDED.items():
        for group in group_model.objects.filter(name=name):
            group.permissions.add(*(_permission(apps, capability) for capability in capabilities))
    for name, capabilities in TAKEN.items():
        for group in group_model.objects.filter(name=name):
            group.permissions.remove(*(_permission(apps, capability) for capability in capabilities))


def backward(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for name, capabilities in ADDED.items():
        for group in group_model.objects.filter(name=name):
            group.permissions.remove(*(_permission(apps, capability) for capability in capabilities))
    for name, capabilities in TAKEN.items():
        for group in group_model.objects.filter(name=name):
            group.permissions.add(*(_permission(apps, capability) for capability in capabilities))


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_starting_roles"),
        ("accounts", "0002_second_factors"),
        ("submissions", "0003_clinic_capability"),
    ]

    operations = [migrations.RunPython(forward, backward)]
