"""Calendar files: add one event to a calendar, or subscribe to them all."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from fingerpost.core import links

from . import calendar, queries

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _base_url(request: HttpRequest) -> str:
    # The same address as the calendar files attached to emails.
    return links.site_url()


@require_safe
def event_ics_file(request: HttpRequest, pk: int) -> HttpResponse:
    # Cancelled events too: a calendar that has the event learns it is off.
    event = get_object_or_404(queries.events_with_a_public_page(), pk=pk)
    filename = f"{slugify(event.title) or 'event'}.ics"
    return HttpResponse(
        calendar.event_ics(event, base_url=_base_url(request)),
        content_type=CALENDAR_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@require_safe
def events_feed(request: HttpRequest) -> HttpResponse:
    events = queries.calendar_feed_events()
    return HttpResponse(
        calendar.events_feed(events, base_url=_base_url(request)),
        content_type=CALENDAR_CONTENT_TYPE,
    )
