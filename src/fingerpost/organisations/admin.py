from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Area, EmailDomain, Membership, Organisation, PostcodeDistrict


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    autocomplete_fields = ["user"]
    fields = [
        "user",
        "job_title",
        "is_champion",
        "is_coordinator",
        "is_organiser",
        "verified_at",
        "verification",
        "verified_by",
    ]
    readonly_fields = ["verified_by"]


class EmailDomainInline(admin.TabularInline):
    model = EmailDomain
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    # Addresses typed without a scheme are taken as https (Django 6 default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "area", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "area"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [EmailDomainInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "organisation",
        "job_title",
        "is_champion",
        "is_coordinator",
        "is_organiser",
        "verified_at",
    ]
    list_filter = ["is_champion", "is_coordinator", "is_organiser", "verification"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["verified_by"]


class PostcodeDistrictInline(admin.TabularInline):
    model = PostcodeDistrict
    extra = 1
    fields = ["code", "latitude", "longitude"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """Towns and their postcode districts, kept by the partnership: residents'
    postcodes and town names are matched to these."""

    list_display = ["name", "other_names", "district_codes"]
    search_fields = ["name", "other_names", "districts__code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PostcodeDistrictInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Area]:
        return super().get_queryset(request).prefetch_related("districts")

    @admin.display(description="Postcode districts")
    def district_codes(self, area: Area) -> str:
        return ", ".join(d.code for d in area.districts.all())
