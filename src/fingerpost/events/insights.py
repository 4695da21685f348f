"""Events' figures for the insights dashboard (`core.registry.add_insight`):
events held in the period and their attendance, by month, by organisation and
by kind of event. Attendance counts places (a group booking of three who all
came is three people); a no-show is a booked place not checked in at an event
that has started. One aggregate query whatever the volume."""

from __future__ import annotations

from collections import defaultdict
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


def figures(query: InsightQuery) -> list[InsightTable]:
    tz = timezone.get_current_timezone()
    # One scan, grouped by month, organisation and kind; each table sums these
    # rows. An event is in exactly one group, so distinct counts add up.
    groups: list[dict[str, Any]] = [
        dict(group)
        for group in events_for(query)
        .annotate(month=TruncMonth("starts_at", tzinfo=tz))
        .values("month", "organisation__name", "kind")
        .annotate(**_measures())
        .order_by()
    ]
    by_month: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    by_name: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for group in groups:
        values = (group["events"], group["booked"], group["attended"], group["no_shows"])
        for totals in (
            by_month[group["month"].date()],
            by_name[group["organisation__name"] or "No organisation"],
            by_kind[group["kind"]],
        ):
            for i, value in enumerate(values):
                totals[i] += value
    by_organisation = [(name, tuple(values)) for name, values in sorted(by_name.items())]
    empty = (0, 0, 0, 0)
    return [
        InsightTable(
            key="events.months",
            note=NOTE,
            title="Events and attendance by month",
            label_heading="Month",
            columns=COLUMNS,
            rows=[
                (f"{month:%B %Y}", tuple(by_month.get(month, empty))) for month in query.months()
            ],
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
            rows=[
                (str(label), tuple(by_kind.get(value, empty))) for value, label in EventKind.choices
            ],
            unit="events",
            exact_columns=("Events",),
        ),
    ]
