"""Calendar files: add one event to a calendar, or subscribe to them all."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from . import calendar
from .models import Event, EventStatus

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
# Subscribers keep recent events in view for a while after they happen.
FEED_KEEPS_ENDED_EVENTS_FOR = timedelta(days=30)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@require_GET
def event_ics_file(request: HttpRequest, pk: int) -> HttpResponse:
    # Cancelled events too: a calendar that has the event learns it is off.
    event = get_object_or_404(Event.objects.exclude(status=EventStatus.DRAFT), pk=pk)
    filename = f"{slugify(event.title) or 'event'}.ics"
    return HttpResponse(
        calendar.event_ics(event, base_url=_base_url(request)),
        content_type=CALENDAR_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@require_GET
def events_feed(request: HttpRequest) -> HttpResponse:
    """Published events that have not ended, and those that ended in the last
    30 days; cancelled ones stay in, marked cancelled, so subscribed calendars
    take them out."""
    since = timezone.now() - FEED_KEEPS_ENDED_EVENTS_FOR
    shown = [EventStatus.PUBLISHED, EventStatus.CANCELLED]
    events = Event.objects.filter(status__in=shown, ends_at__gt=since).order_by("starts_at", "pk")
    return HttpResponse(
        calendar.events_feed(events, base_url=_base_url(request)),
        content_type=CALENDAR_CONTENT_TYPE,
    )
