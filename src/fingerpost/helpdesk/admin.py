"""Read-only: every change to a request goes through services.py (version
check, timeline, audit), and every look at one here is audited like on the
request page."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from fingerpost.core import audit
from fingerpost.core.models import AuditAction

from .models import HelpRequest, HelpRequestNeed


class NeedInline(admin.TabularInline):
    model = HelpRequestNeed
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "organisation", "status", "priority", "created_at", "closed_at"]
    list_filter = ["status", "priority", "channel", "referral_source"]
    search_fields = ["reference"]
    list_select_related = ["organisation"]
    # The private link's token would let anyone who sees it withdraw the request.
    exclude = ["token"]
    inlines = [NeedInline]

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
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:  # the request exists and was shown
            audit.record(
                actor=request.user,
                action=AuditAction.VIEW,
                subject_type="help_request",
                reference=HelpRequest.objects.values_list("reference", flat=True).get(pk=object_id),
                detail="admin site",
            )
        return response
