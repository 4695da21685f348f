"""Events' figures for the insights dashboard (`core.registry.add_insight`):
events held in the period and their attendance, by month, by organisation and
by kind of event. Attendance counts places (a group booking of three who all
came is three people); a no-show is a booked place not checked in at an event
that has started. Three aggregate queries whatever the volume."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from fingerpost.core.registry import InsightQuery, InsightTable

from .models import BookingStatus, Event, EventKind, EventStatus

COLUMNS = ("Events", "Places booked", "Attended", "No-shows")
NOTE = (
    "Published events starting in the period. Attended counts places checked in, "
    "walk-ins included; a no-show is a booked place not checked in at an event that has started."
)


def events_for(query: InsightQuery) -> QuerySet[Event]:
    """Published events starting in the period, run by the organisations asked about."""
    begin, finish = query.between()
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED, starts_at__gte=begin, starts_at__lt=finish
    )
    if query.organisation_ids is not None:
        events = events.filter(organisation_id__in=query.organisation_ids)
    return events.order_by()


def _measures() -> dict[str, Any]:
    confirmed = Q(bookings__status=BookingStatus.CONFIRMED)
    checked_in = confirmed & Q(bookings__checked_in_at__isnull=False)
    no_show = confirmed & Q(bookings__checked_in_at__isnull=True, starts_at__lte=timezone.now())

    def places(condition: Q) -> Coalesce:
        return Coalesce(Sum("bookings__places", filter=condition), 0)

    # One row per booking (or one for an event with none): events are counted distinct.
    return {
        "events": Count("pk", distinct=True),
        "booked": places(confirmed & Q(bookings__is_walk_in=False)),
        "attended": places(checked_in),
        "no_shows": places(no_show),
    }


def _values(row: Mapping[str, Any]) -> tuple[int, int, int, int]:
    return (row["events"], row["booked"], row["attended"], row["no_shows"])


def figures(query: InsightQuery) -> list[InsightTable]:
    events = events_for(query)
    tz = timezone.get_current_timezone()
    by_month: dict[date, tuple[int, ...]] = {
        row["month"].date(): _values(row)
        for row in events.annotate(month=TruncMonth("starts_at", tzinfo=tz))
        .values("month")
        .annotate(**_measures())
    }
    by_organisation = [
        (row["organisation__name"] or "No organisation", _values(row))
        for row in events.values("organisation__name")
        .annotate(**_measures())
        .order_by("organisation__name")
    ]
    by_kind = {row["kind"]: _values(row) for row in events.values("kind").annotate(**_measures())}
    empty = (0, 0, 0, 0)
    return [
        InsightTable(
            key="events.months",
            note=NOTE,
            title="Events and attendance by month",
            label_heading="Month",
            columns=COLUMNS,
            rows=[(f"{month:%B %Y}", by_month.get(month, empty)) for month in query.months()],
            unit="events",
            exact_columns=("Events",),
        ),
        InsightTable(
            key="events.organisations",
            title="Events and attendance by organisation",
            label_heading="Organisation",
            columns=COLUMNS,
            rows=by_organisation,
            unit="events",
            exact_columns=("Events",),
        ),
        InsightTable(
            key="events.kinds",
            title="Events and attendance by kind of event",
            label_heading="Kind of event",
            columns=COLUMNS,
            rows=[(str(label), by_kind.get(value, empty)) for value, label in EventKind.choices],
            unit="events",
            exact_columns=("Events",),
        ),
    ]
