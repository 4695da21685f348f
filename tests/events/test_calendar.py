"""Calendar files: one event's .ics, and the feed people subscribe to."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from ..factories import EventFactory


def entries(content: bytes) -> dict[str, dict[str, str]]:
    """The calendar's events by SUMMARY, with their properties as text."""
    calendar = Calendar.from_ical(content)
    return {
        str(component["SUMMARY"]): {key: str(value) for key, value in component.items()}
        for component in calendar.walk("VEVENT")
    }


@pytest.mark.django_db
def test_event_ics_has_the_title_time_and_place(client: Client) -> None:
    event = EventFactory(
        title="Digital inclusion: what works?",
        venue_name="County Hall",
        venue_address="Colliton Park\nDorchester",
    )

    response = client.get(f"/events/{event.pk}/event.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="digital-inclusion-what-works.ics"'
    )
    text = response.content.decode()
    assert "SUMMARY:Digital inclusion: what works?" in text
    assert "DTSTART" in text and "DTEND" in text
    entry = entries(response.content)["Digital inclusion: what works?"]
    assert entry["LOCATION"] == "County Hall, Colliton Park, Dorchester"
    assert entry["STATUS"] == "CONFIRMED"
    assert f"{settings.FINGERPOST_SITE_URL}/events/{event.pk}/" in entry["URL"]
    start = Calendar.from_ical(response.content).walk("VEVENT")[0]["DTSTART"].dt
    assert start == event.starts_at.replace(microsecond=0)  # iCalendar keeps whole seconds


@pytest.mark.django_db
def test_a_cancelled_event_ics_says_it_is_cancelled(client: Client) -> None:
    event = EventFactory(title="Called off", status="cancelled")
    response = client.get(f"/events/{event.pk}/event.ics")
    assert response.status_code == 200
    assert entries(response.content)["Called off"]["STATUS"] == "CANCELLED"


@pytest.mark.django_db
def test_a_draft_or_missing_event_has_no_ics(client: Client) -> None:
    draft = EventFactory(status="draft")
    assert client.get(f"/events/{draft.pk}/event.ics").status_code == 404
    assert client.get("/events/999999/event.ics").status_code == 404


@pytest.mark.django_db
def test_an_untitled_looking_title_still_gets_a_filename(client: Client) -> None:
    event = EventFactory(title="???")
    response = client.get(f"/events/{event.pk}/event.ics")
    assert response["Content-Disposition"] == 'attachment; filename="event.ics"'


@pytest.mark.django_db
def test_feed_has_published_and_cancelled_events_and_recent_ones_but_not_drafts(
    client: Client,
) -> None:
    now = timezone.now()
    EventFactory(title="Coming up")
    EventFactory(title="Happening now", starts_at=now - timedelta(hours=1))
    EventFactory(title="Last week", starts_at=now - timedelta(days=7))
    EventFactory(title="Long ago", starts_at=now - timedelta(days=40))
    EventFactory(title="Still a draft", status="draft")
    EventFactory(title="Called off", status="cancelled")

    response = client.get("/events/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert set(entries(response.content)) == {
        "Coming up",
        "Happening now",
        "Last week",
        "Called off",
    }
    assert b"STATUS:CANCELLED" in response.content and b"SEQUENCE:" in response.content


@pytest.mark.django_db
def test_feed_makes_the_same_number_of_queries_however_many_events(client: Client) -> None:
    from ..querycount import assert_flat_query_count

    EventFactory.create_batch(3)
    assert_flat_query_count(client, "/events/calendar.ics", lambda: EventFactory.create_batch(20))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/events/calendar.ics", "EVENT"])
def test_calendar_files_are_get_only(client: Client, url: str) -> None:
    event = EventFactory()
    url = url.replace("EVENT", f"/events/{event.pk}/event.ics")
    assert client.post(url).status_code == 405
