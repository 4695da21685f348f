"""Reads about help locations: the public search, a location's page, the
places a coordinator keeps, and the library service's e-book services."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fingerpost.accounts.roles import Role, roles_of
from fingerpost.events.models import Audience, Event, EventKind
from fingerpost.events.queries import upcoming_public_events
from fingerpost.organisations.models import Area, Organisation
from fingerpost.organisations.queries import (
    area_centre,
    area_for,
    district_for,
    organisations_where,
)

from .models import (
    STALE_AFTER,
    EbookService,
    HelpLocation,
    HelpLocationNeed,
    OpeningException,
    OpeningHours,
)

# Sessions residents can come to for help (not networking events for staff).
HELP_SESSION_KINDS = [EventKind.DROP_IN, EventKind.CODE_CLUB, EventKind.TRAINING]
# How far ahead a location's page lists sessions and changes to its hours.
LOOK_AHEAD = timedelta(weeks=8)
# Places further than this from the resident are not "near" them.
NEAR_KM = 40.0
KM_PER_MILE = 1.609344


def _with_details(locations: QuerySet[HelpLocation]) -> QuerySet[HelpLocation]:
    return locations.select_related("organisation", "area").prefetch_related(
        Prefetch("needs", queryset=HelpLocationNeed.objects.order_by("need")),
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday")),
    )


def published_locations() -> QuerySet[HelpLocation]:
    return _with_details(HelpLocation.objects.filter(is_published=True)).order_by("name", "pk")


def public_location(slug: str) -> QuerySet[HelpLocation]:
    """The published location with this slug (a queryset, for get_object_or_404)."""
    return published_locations().filter(slug=slug)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@dataclass
class Place:
    """Where a resident said they are, as far as we could tell."""

    text: str
    area: Area | None = None
    centre: tuple[float, float] | None = None

    @property
    def known(self) -> bool:
        return self.area is not None


def place_for(text: str) -> Place:
    """A typed postcode, district or town, as an area and a point to measure from."""
    text = " ".join(text.split())
    district = district_for(text)
    if district is not None:
        centre = None
        if district.latitude is not None and district.longitude is not None:
            centre = (district.latitude, district.longitude)
        return Place(text, district.area, centre or area_centre(district.area))
    area = area_for(text)
    return Place(text, area, area_centre(area) if area is not None else None)


@dataclass
class Found:
    location: HelpLocation
    distance_km: float | None = None
    sessions: list[Event] = field(default_factory=list)

    @property
    def distance_miles(self) -> float | None:
        return None if self.distance_km is None else self.distance_km / KM_PER_MILE

    @property
    def distance_text(self) -> str:
        miles = self.distance_miles
        if miles is None:
            return ""
        if miles < 1:
            return _("Less than a mile away")
        return ngettext("About %(miles)d mile away", "About %(miles)d miles away", round(miles)) % {
            "miles": round(miles)
        }


def _location_point(location: HelpLocation) -> tuple[float, float] | None:
    if location.latitude is None or location.longitude is None:
        return None
    return (location.latitude, location.longitude)


def find_locations(*, place: Place | None = None, need: str = "") -> list[Found]:
    """Published locations offering `need` (any help when blank), nearest to
    `place` first; with a place we cannot measure from, those in its area.
    The directory is small (tens of places), so distances are worked out here."""
    locations = published_locations()
    if need:
        locations = locations.filter(needs__need=need)
    found = [Found(location) for location in locations]
    if place is not None and place.centre is not None:
        for item in found:
            point = _location_point(item.location)
            item.distance_km = distance_km(place.centre, point) if point else None
        found = [
            f
            for f in found
            if (f.distance_km is not None and f.distance_km <= NEAR_KM)
            or (f.location.area_id is not None and f.location.area_id == place.area.pk)  # type: ignore[union-attr]
        ]
        found.sort(key=lambda f: (f.distance_km is None, f.distance_km or 0.0, f.location.name))
    elif place is not None and place.area is not None:
        found = [f for f in found if f.location.area_id == place.area.pk]
    _attach_sessions(found)
    return found


def help_sessions(
    *, organisation_ids: list[int], now: datetime | None = None
) -> dict[int, list[Event]]:
    """Upcoming drop-ins, code clubs and courses for residents, by organisation,
    in one query. Events belong to organisations, so a location's sessions are
    those of the organisation that runs it."""
    now = now or timezone.now()
    if not organisation_ids:
        return {}
    events = upcoming_public_events(audience=Audience.PUBLIC, now=now).filter(
        kind__in=HELP_SESSION_KINDS,
        organisation_id__in=organisation_ids,
        starts_at__lte=now + LOOK_AHEAD,
    )
    by_organisation: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        if event.organisation_id is not None:
            by_organisation[event.organisation_id].append(event)
    return by_organisation


def _attach_sessions(found: list[Found]) -> None:
    ids = sorted({f.location.organisation_id for f in found if f.location.organisation_id})
    sessions = help_sessions(organisation_ids=ids)
    for item in found:
        if item.location.organisation_id is not None:
            item.sessions = sessions.get(item.location.organisation_id, [])


def location_sessions(location: HelpLocation) -> list[Event]:
    if location.organisation_id is None:
        return []
    return help_sessions(organisation_ids=[location.organisation_id]).get(
        location.organisation_id, []
    )


def coming_exceptions(
    location: HelpLocation, *, today: date | None = None
) -> list[OpeningException]:
    today = today or timezone.localdate()
    return list(
        location.opening_exceptions.filter(date__gte=today, date__lte=today + LOOK_AHEAD).order_by(
            "date"
        )
    )


def locations_for_organisation(organisation: Organisation) -> QuerySet[HelpLocation]:
    return _with_details(
        HelpLocation.objects.filter(is_published=True, organisation=organisation)
    ).order_by("name")


def locations_managed_by(user: Any) -> QuerySet[HelpLocation]:
    """The locations someone keeps up to date: admins all; coordinators those
    of their organisations (and branches)."""
    roles = roles_of(user)
    if roles.is_admin:
        return _with_details(HelpLocation.objects.all()).order_by("name")
    if not roles.holds(Role.COORDINATOR):
        return HelpLocation.objects.none()
    return _with_details(
        HelpLocation.objects.filter(organisation__in=organisations_where(user, Role.COORDINATOR))
    ).order_by("name")


def stale_locations(*, now: datetime | None = None) -> QuerySet[HelpLocation]:
    """Published locations whose details nobody has confirmed for six months."""
    now = now or timezone.now()
    return HelpLocation.objects.filter(is_published=True, reviewed_at__lt=now - STALE_AFTER)


def ebook_services(*, organisation: Organisation | None = None) -> QuerySet[EbookService]:
    """Published e-book services; for an organisation, its own and its parent's
    (a library branch shows the library service's)."""
    services = EbookService.objects.filter(is_published=True).select_related("organisation")
    if organisation is not None:
        services = services.filter(
            Q(organisation=organisation) | Q(organisation_id=organisation.parent_id)
        )
    return services.order_by("kind", "name")
