from django.contrib import admin

from .models import SkillsCheckResult


@admin.register(SkillsCheckResult)
class SkillsCheckResultAdmin(admin.ModelAdmin):
    """Anonymous totals: read-only, so the published figures match what people answered."""

    list_display = [
        "completed_at",
        "area",
        "gaps_foundation",
        "gaps_communicating",
        "gaps_handling_information",
        "gaps_transacting",
        "gaps_problem_solving",
        "gaps_safe_and_legal",
    ]
    list_filter = ["area"]
    list_select_related = ["area"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
