"""iCalendar (.ics) files: one per event, and a feed of all published events."""

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Event, EventStatus


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.FINGERPOST_PARTNERSHIP_NAME}//Fingerpost//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.FINGERPOST_SERVICE_NAME} events")
    return calendar


def _entry(event: Event, base_url: str) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.pk}@fingerpost")
    entry.add("summary", event.title)
    entry.add("dtstamp", event.updated_at)
    # Calendars apply a change only when the sequence number goes up.
    entry.add("sequence", int(event.updated_at.timestamp()))
    if event.starts_at:
        entry.add("dtstart", event.starts_at)
    if event.ends_at:
        entry.add("dtend", event.ends_at)
    location = ", ".join(part for part in [event.venue_name, event.venue_address] if part)
    if location:
        entry.add("location", location.replace("\n", ", "))
    entry.add("description", f"{event.summary}\n\n{base_url}{event.get_absolute_url()}")
    entry.add("url", f"{base_url}{event.get_absolute_url()}")
    entry.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return entry


def event_ics(event: Event, *, base_url: str) -> bytes:
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(_entry(event, base_url))
    return bytes(calendar.to_ical())


def events_feed(events: Iterable[Event], *, base_url: str) -> bytes:
    calendar = _calendar()
    for event in events:
        calendar.add_component(_entry(event, base_url))
    return bytes(calendar.to_ical())
