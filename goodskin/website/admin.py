from django.contrib import admin

from goodskin.website.models import Clinic, Service, TeamMember


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin[Clinic]):
    list_display = ["name", "street", "phone", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = ["name_en", "category", "duration_minutes", "order"]
    list_filter = ["category"]


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin[TeamMember]):
    list_display = ["name", "credential", "role_en", "order"]
