"""Roles (Django groups) as an administrator edits them: every change to a role's capabilities
is audited, and no edit may leave the clinic without an administrator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from goodskin.staff.actions import MANAGE_STAFF, NO_ADMINISTRATOR_LEFT, record_role_edit
from goodskin.staff.queries import administrators_without_role


class RoleForm(forms.ModelForm):  # type: ignore[type-arg]  # the stubs make ModelForm generic
    class Meta:
        model = Group
        fields = ["name", "permissions"]

    def clean_permissions(self) -> Any:
        chosen = self.cleaned_data["permissions"]
        app_label, codename = MANAGE_STAFF.split(".")
        keeps = chosen.filter(content_type__app_label=app_label, codename=codename).exists()
        if self.instance.pk and not keeps and not administrators_without_role(self.instance):
            raise forms.ValidationError(NO_ADMINISTRATOR_LEFT)
        return chosen


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    form = RoleForm

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        before = (
            set(form.instance.permissions.values_list("content_type__app_label", "codename"))
            if change
            else set()
        )
        super().save_related(request, form, formsets, change)
        after = set(form.instance.permissions.values_list("content_type__app_label", "codename"))
        record_role_edit(role=form.instance, added=after - before, removed=before - after)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a role is emptied, not deleted, so what it held stays on record
