from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from goodskin.access_log.actions import record_staff_read
from goodskin.submissions.models import ConsultationRequest, ContactMessage


class SubmissionAdmin(admin.ModelAdmin[Any]):
    """Staff read what was sent (messages are opened with the sender's key on display); nobody
    edits a submission after the fact."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Opening one submission is a read of one person's records: it goes in the access log
        (the person sees it in their access report)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = self.get_object(request, object_id)
        if response.status_code == 200 and shown is not None:
            record_staff_read(person=shown.person, because=shown, what="submission")
        return response


CLINIC_ONLY = "submissions.view_clinic_consultations"


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(SubmissionAdmin):
    """Front desk sees every clinic's requests; a clinician only those of the clinic their
    account names, and none while it names none."""

    def _whole_clinic_group(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("submissions.view_consultationrequest"))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._whole_clinic_group(request):
            return True
        clinic_id = getattr(request.user, "clinic_id", None)
        if not (request.user.has_perm(CLINIC_ONLY) and clinic_id is not None):
            return False
        return obj is None or obj.clinic_id == clinic_id

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_queryset(self, request: HttpRequest) -> Any:
        found = super().get_queryset(request)
        if self._whole_clinic_group(request):
            return found
        return found.filter(clinic_id=getattr(request.user, "clinic_id", None))

    list_display = ["created_at", "full_name", "treatment", "clinic", "preferred_time", "language"]
    list_filter = ["clinic", "preferred_time", "treatment"]
    fields = [
        "created_at",
        "full_name",
        "email",
        "phone",
        "treatment",
        "clinic",
        "preferred_time",
        "message",
        "findings",
        "language",
        "person",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # every field is read-only


@admin.register(ContactMessage)
class ContactMessageAdmin(SubmissionAdmin):
    list_display = ["created_at", "full_name", "topic", "language"]
    list_filter = ["topic"]
    fields = [
        "created_at",
        "full_name",
        "email",
        "phone",
        "topic",
        "message",
        "findings",
        "language",
        "person",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # every field is read-only
