from django.contrib import admin

from .models import Device, LoanRule


@admin.register(LoanRule)
class LoanRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "loan_days", "renewals_allowed", "per_borrower", "referral_required")


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    """Read-only: changes go through the lending pages, so history and the
    holds queue stay right. Borrowers are not in the admin site at all."""

    list_display = ("asset_tag", "kind", "branch", "status", "condition")
    list_filter = ("kind", "status")
    search_fields = ("asset_tag", "serial_number")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
