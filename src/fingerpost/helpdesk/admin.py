from django.contrib import admin

from .models import HelpRequest, HelpRequestNeed, TimelineEntry


class NeedInline(admin.TabularInline):
    model = HelpRequestNeed
    extra = 0


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "organisation", "status", "priority", "created_at", "closed_at"]
    list_filter = ["status", "priority", "channel", "referral_source"]
    search_fields = ["reference"]
    list_select_related = ["organisation"]
    raw_id_fields = ["assigned_to", "referred_by", "recorded_by"]
    readonly_fields = ["reference", "token", "version", "created_at", "updated_at", "anonymised_at"]
    inlines = [NeedInline]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(admin.ModelAdmin):
    list_display = ["request", "kind", "actor", "at"]
    list_select_related = ["request", "actor"]
    raw_id_fields = ["request", "actor"]
