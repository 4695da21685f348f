from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is evidence, so nobody edits or deletes it here."""

    list_display = ["at", "actor", "action", "subject_type", "subject_reference", "detail"]
    list_filter = ["action", "subject_type"]
    search_fields = ["subject_reference", "actor__email"]
    list_select_related = ["actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# Background tasks: their arguments hold the emails and texts sent (reset
# links, residents' details), so only superusers see the list, and never the
# arguments or results themselves.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        hidden = {"args_kwargs", "return_value"}
        return [name for name in super().get_readonly_fields(request, obj) if name not in hidden]
