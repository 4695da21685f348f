from django.contrib import admin

from .models import BackgroundCheck, ChampionProfile, TrainingRecord


class TrainingInline(admin.TabularInline):
    model = TrainingRecord
    extra = 0


class CheckInline(admin.TabularInline):
    # Read-only: a check is recorded through the service, which keeps the
    # profile's expiry (what matching reads) in step.
    model = BackgroundCheck
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "checked_on", "expires_on", "recorded_by"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ChampionProfile)
class ChampionProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "max_active", "paused", "check_expires_on"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__full_name", "user__email"]
    raw_id_fields = ["user"]
    inlines = [TrainingInline, CheckInline]
