"""Reads about events, named so views and the API share them."""

from datetime import datetime
from typing import Any

from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from fingerpost.accounts.roles import Role, roles_of
from fingerpost.organisations.queries import organisations_where

from .models import HOLDING_STATUSES, Audience, Booking, BookingStatus, Event, EventStatus


def with_place_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate places_taken, places_left and waiting_count in the same query (no N+1)."""
    return events.annotate(
        places_taken=Coalesce(
            Sum("bookings__places", filter=Q(bookings__status__in=HOLDING_STATUSES)),
            Value(0),
            output_field=IntegerField(),
        ),
        waiting_count=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
    ).annotate(places_left=Greatest(F("capacity") - F("places_taken"), Value(0)))


def upcoming_public_events(
    *, kind: str | None = None, audience: str | None = None, now: datetime | None = None
) -> QuerySet[Event]:
    now = now or timezone.now()
    events = Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gt=now)
    if kind:
        events = events.filter(kind=kind)
    if audience:
        events = events.filter(audience=audience)
    return with_place_counts(events.select_related("organisation")).order_by("starts_at", "pk")


def sessions_bookable_for_residents(*, now: datetime | None = None) -> QuerySet[Event]:
    """Resident sessions a coordinator can book someone onto: open for booking now."""
    now = now or timezone.now()
    events = Event.objects.filter(
        Q(booking_opens_at__isnull=True) | Q(booking_opens_at__lte=now),
        Q(booking_closes_at__isnull=True) | Q(booking_closes_at__gt=now),
        status=EventStatus.PUBLISHED,
        audience=Audience.PUBLIC,
        starts_at__gt=now,
    )
    return with_place_counts(events).order_by("starts_at", "pk")


def public_event(pk: int) -> Event:
    """A published (or cancelled, so links in emails still work) event with its counts."""
    return with_place_counts(
        Event.objects.exclude(status=EventStatus.DRAFT).select_related("organisation")
    ).get(pk=pk)


def events_managed_by(user: Any) -> QuerySet[Event]:
    """The events someone may run: admins all; organisers their organisations'
    events (branches included) and the ones they organise; coordinators the
    sessions for residents (code clubs, drop-ins) of their organisations."""
    roles = roles_of(user)
    events = Event.objects.select_related("organiser", "organisation")
    if not roles.is_admin:
        if not (roles.holds(Role.ORGANISER) or roles.holds(Role.COORDINATOR)):
            return Event.objects.none()
        scope = Q(organiser=user) | Q(organisation__in=organisations_where(user, Role.ORGANISER))
        if roles.holds(Role.COORDINATOR):
            scope |= Q(
                organisation__in=organisations_where(user, Role.COORDINATOR),
                audience=Audience.PUBLIC,
            )
        events = events.filter(scope)
    return with_place_counts(events)


def booking_by_token(token: str) -> QuerySet[Booking]:
    return Booking.objects.select_related("event").filter(token=token)


def waiting_position(booking: Booking) -> int | None:
    """1 for the first person waiting; None when not waiting."""
    if booking.status != BookingStatus.WAITING or booking.queue_position is None:
        return None
    ahead = Booking.objects.filter(
        event_id=booking.event_id,
        status=BookingStatus.WAITING,
        queue_position__lt=booking.queue_position,
    ).count()
    return ahead + 1
