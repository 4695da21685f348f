from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from .models import EbookService, HelpLocation, HelpLocationNeed, OpeningException, OpeningHours
from .services import place_from_postcode


class NeedInline(admin.TabularInline):
    model = HelpLocationNeed
    extra = 1


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class OpeningExceptionInline(admin.TabularInline):
    model = OpeningException
    extra = 0


@admin.register(HelpLocation)
class HelpLocationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "organisation", "town", "postcode", "is_published", "reviewed_at"]
    list_filter = ["is_published", "area"]
    list_select_related = ["organisation"]
    search_fields = ["name", "town", "postcode", "organisation__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation"]
    readonly_fields = ["uuid", "service_uuid", "service_at_location_uuid", "reviewed_by"]
    inlines = [NeedInline, OpeningHoursInline, OpeningExceptionInline]

    def save_model(
        self, request: HttpRequest, obj: HelpLocation, form: ModelForm, change: bool
    ) -> None:
        place_from_postcode(obj)
        super().save_model(request, obj, form, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[HelpLocation]:
        return super().get_queryset(request).select_related("organisation")


@admin.register(EbookService)
class EbookServiceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "organisation", "is_published"]
    list_filter = ["kind", "is_published"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["uuid"]
