"""Changes to help locations. Coordinators keep their own locations current;
every change (and an explicit "still correct") counts as confirming them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.core.errors import Conflict, Invalid
from fingerpost.core.mail import enqueue_email
from fingerpost.helpdesk.models import Need
from fingerpost.organisations.queries import district_for, people_with_role

from .models import HelpLocation, HelpLocationNeed, OpeningException, OpeningHours
from .queries import stale_locations

# The details a coordinator may change on the location's page.
EDITABLE_FIELDS = [
    "name",
    "description",
    "address_line_1",
    "address_line_2",
    "town",
    "county",
    "postcode",
    "phone",
    "email",
    "website",
    "accessibility",
    "languages",
    "booking_required",
    "how_to_book",
]


def place_from_postcode(location: HelpLocation) -> None:
    """Fill in the location's area, and its coordinates when none were given,
    from the postcode district (organisations.PostcodeDistrict)."""
    district = district_for(location.postcode)
    if district is None:
        return
    location.area = district.area
    if location.latitude is None and district.latitude is not None:
        location.latitude, location.longitude = district.latitude, district.longitude


def _confirmed(location: HelpLocation, by: Any, now: datetime | None = None) -> None:
    location.reviewed_at = now or timezone.now()
    location.reviewed_by = by
    location.stale_reminder_sent_at = None


def update_location(
    *, location: HelpLocation, by: Any, details: Mapping[str, Any], needs: Iterable[str]
) -> HelpLocation:
    """Save a location's details and the help it offers; this confirms them."""
    needs = sorted(set(needs))
    unknown = [need for need in needs if need not in Need.values]
    if unknown:
        raise Invalid("Select the help offered from the list", field="needs")
    with transaction.atomic():
        location = HelpLocation.objects.select_for_update().get(pk=location.pk)
        postcode_before = location.postcode
        for name, value in details.items():
            if name not in EDITABLE_FIELDS:
                raise Invalid(f"{name} cannot be changed here")
            setattr(location, name, value)
        if location.postcode != postcode_before:
            # A new address: the old coordinates no longer say where it is.
            location.latitude = location.longitude = None
            location.area = None
        place_from_postcode(location)
        _confirmed(location, by)
        location.save()
        location.needs.exclude(need__in=needs).delete()
        HelpLocationNeed.objects.bulk_create(
            [HelpLocationNeed(location=location, need=need) for need in needs],
            ignore_conflicts=True,
        )
    return location


def set_opening_hours(
    *, location: HelpLocation, by: Any, hours: Mapping[int, tuple[time, time] | None]
) -> HelpLocation:
    """Replace the weekly hours: `hours[weekday]` is (opens, closes), or None when closed."""
    for weekday, period in hours.items():
        if weekday not in range(7):
            raise Invalid("That is not a day of the week")
        if period is not None and period[1] <= period[0]:
            raise Invalid(
                "The closing time must be after the opening time", field=f"closes_{weekday}"
            )
    with transaction.atomic():
        location = HelpLocation.objects.select_for_update().get(pk=location.pk)
        location.opening_hours.all().delete()
        OpeningHours.objects.bulk_create(
            [
                OpeningHours(location=location, weekday=weekday, opens=period[0], closes=period[1])
                for weekday, period in sorted(hours.items())
                if period is not None
            ]
        )
        _confirmed(location, by)
        location.save(update_fields=["reviewed_at", "reviewed_by", "stale_reminder_sent_at"])
    return location


def add_opening_exception(
    *,
    location: HelpLocation,
    by: Any,
    on: date,
    closed: bool,
    opens: time | None = None,
    closes: time | None = None,
    reason: str = "",
) -> OpeningException:
    """Record a day the usual hours do not apply (closed, or different hours)."""
    if on < timezone.localdate():
        raise Invalid("The date must be today or in the future", field="date")
    if closed:
        opens = closes = None
    elif opens is None or closes is None:
        raise Invalid(
            "Enter the opening and closing times, or select closed all day", field="opens"
        )
    elif closes <= opens:
        raise Invalid("The closing time must be after the opening time", field="closes")
    try:
        with transaction.atomic():
            exception = OpeningException.objects.create(
                location=location, date=on, closed=closed, opens=opens, closes=closes, reason=reason
            )
    except IntegrityError:
        raise Conflict(
            "There is already a change to the hours on that day: remove it first", field="date"
        ) from None
    return exception


def remove_opening_exception(*, exception: OpeningException, by: Any) -> None:
    exception.delete()


def confirm_location(*, location: HelpLocation, by: Any) -> HelpLocation:
    """The coordinator has checked the details and they are still correct."""
    with transaction.atomic():
        location = HelpLocation.objects.select_for_update().get(pk=location.pk)
        _confirmed(location, by)
        location.save(update_fields=["reviewed_at", "reviewed_by", "stale_reminder_sent_at"])
    return location


def remind_about_stale_locations(*, now: datetime | None = None) -> int:
    """Email the coordinators of each location not confirmed for six months,
    once for each time it goes stale; returns how many locations were flagged."""
    now = now or timezone.now()
    flagged = 0
    due = stale_locations(now=now).filter(stale_reminder_sent_at__isnull=True)
    for location_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            location = (
                HelpLocation.objects.select_for_update(of=("self",))
                .select_related("organisation")
                .filter(pk=location_id, stale_reminder_sent_at__isnull=True)
                .first()
            )
            if location is None:  # another sweep got there first
                continue
            location.stale_reminder_sent_at = now
            location.save(update_fields=["stale_reminder_sent_at"])
            flagged += 1
            recipients = _coordinator_emails(location)
            if recipients:
                link = settings.FINGERPOST_SITE_URL.rstrip("/") + reverse(
                    "directory:manage_location", kwargs={"slug": location.slug}
                )
                enqueue_email(
                    subject=f"Please check the details of {location.name}",
                    body=(
                        f"Nobody has checked the details of {location.name} on the "
                        f"'Find digital help near you' pages since "
                        f"{timezone.localtime(location.reviewed_at):%d %B %Y}.\n\n"
                        "Residents rely on them to find help. Please check the address, "
                        "opening hours and help offered, and change anything that is wrong "
                        f"or confirm that they are still correct:\n\n{link}\n"
                    ),
                    to=recipients,
                )
    return flagged


def _coordinator_emails(location: HelpLocation) -> list[str]:
    if location.organisation_id is None:
        people = User.objects.filter(is_active=True, is_superuser=True)
    else:
        people = people_with_role(Role.COORDINATOR, organisation_id=location.organisation_id)
    return sorted(set(people.values_list("email", flat=True)))
