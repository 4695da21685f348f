"""The operators' view of events. Organisers work in the organiser pages;
this is for looking things up and fixing typos. Who holds a place is only
ever changed by events.services, so allocation fields are read-only here."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm, URLField
from django.http import HttpRequest

from fingerpost.core.views import signed_in_user

from . import queries, services
from .models import (
    Booking,
    Event,
    EventSeries,
    FeedbackQuestion,
    FeedbackResponse,
    RegistrationQuestion,
)


class RegistrationQuestionInline(admin.TabularInline):
    model = RegistrationQuestion
    extra = 0
    fields = ["position", "text", "kind", "choices", "required"]


class FeedbackQuestionInline(admin.TabularInline):
    model = FeedbackQuestion
    extra = 0
    fields = ["position", "text", "kind"]


class EventAdminForm(ModelForm):
    online_link = URLField(label="Online joining link", required=False, assume_scheme="https")

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 - the admin chooses which fields it shows

    def clean_capacity(self) -> int:
        capacity = int(self.cleaned_data["capacity"])
        if self.instance.pk is not None:
            taken = queries.places_taken(self.instance)
            if capacity < taken:
                raise ValidationError(
                    f"{taken} places are already booked or offered, so the event needs at "
                    f"least {taken} places"
                )
        return capacity


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title", "kind", "audience", "status", "starts_at", "capacity"]
    list_filter = ["status", "kind", "audience", "starts_at"]
    search_fields = ["title", "summary", "venue_name"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["organiser", "series", "copied_from"]
    autocomplete_fields = ["organisation"]
    # Publishing and cancelling tell people and change bookings: they happen on
    # the organiser's pages, through the services, never by editing a field.
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [RegistrationQuestionInline, FeedbackQuestionInline]
    # Addresses typed without a scheme are taken as https (Django 6 default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: Event, form: ModelForm, change: bool) -> None:
        # Through the service, so raised capacity is offered to the waiting list
        # and reminders are scheduled, as when an organiser saves the event.
        services.save_event(event=obj, by=signed_in_user(request))


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["reference", "event", "name", "status", "places", "checked_in_at"]
    list_filter = ["status", "is_walk_in"]
    list_select_related = ["event"]
    search_fields = ["reference", "name", "email"]
    # Bookings are made through the booking pages or the API, which apply the
    # rules; here only the person's details can be corrected.
    raw_id_fields = ["event"]  # never a <select> of every event, should it become editable
    readonly_fields = [
        "event",
        "reference",
        "status",
        "places",
        "queue_position",
        "offer_expires_at",
        "checked_in_at",
        "is_walk_in",
        "idempotency_key",
        "created_at",
        "confirmed_at",
        "cancelled_at",
    ]
    exclude = ["token"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "created_at"]
    search_fields = ["title"]


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(admin.ModelAdmin):
    """People's own words: read here, deleted on request, never edited."""

    list_display = ["booking", "event", "submitted_at"]
    list_select_related = ["booking__event"]
    search_fields = ["booking__reference", "booking__event__title"]
    readonly_fields = ["booking", "answers", "submitted_at"]

    @admin.display(description="event", ordering="booking__event__title")
    def event(self, obj: FeedbackResponse) -> Event:
        return obj.booking.event

    def get_queryset(self, request: HttpRequest) -> QuerySet[FeedbackResponse]:
        return super().get_queryset(request).select_related("booking__event")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
