"""What people trying the booking pages for the first time tripped over."""

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.core.timeformat import govuk_date_time, govuk_time, phone_display
from fingerpost.events.models import Booking

from ..factories import BookingFactory, EventFactory
from .test_public_views import _book_through_the_form

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time(10, 0), "10am"),
        (time(10, 30), "10:30am"),
        (time(12, 0), "midday"),
        (time(0, 0), "midnight"),
        (time(13, 5), "1:05pm"),
        (time(23, 59), "11:59pm"),
    ],
)
def test_times_read_the_govuk_way(value, expected) -> None:
    assert govuk_time(value) == expected


def test_a_date_and_time_reads_as_one_phrase() -> None:
    moment = datetime(2026, 12, 7, 14, 0, tzinfo=LONDON)
    assert govuk_date_time(moment) == "Monday 7 December 2026 at 2pm"
    assert govuk_date_time(moment, "l j F") == "Monday 7 December at 2pm"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("01305221000", "01305 221000"),
        ("07700900123", "07700 900123"),
        ("02079460000", "020 7946 0000"),
        ("08001234567", "0800 123 4567"),
        ("+3312345678", "+3312345678"),
        ("", ""),
    ],
)
def test_phone_numbers_get_their_spaces_back(stored, shown) -> None:
    assert phone_display(stored) == shown


@pytest.mark.django_db
def test_no_page_or_email_shows_a_dot_after_am_or_pm() -> None:
    event = EventFactory(starts_at=datetime(2030, 6, 3, 10, 0, tzinfo=LONDON))
    page = Client().get(event.get_absolute_url()).content.decode()
    assert "a.m." not in page and "p.m." not in page
    assert "10am to midday" in page


def test_head_on_the_calendar_feed_is_allowed(db) -> None:
    response = Client().head(reverse("events:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = EventFactory()
    assert Client().head(reverse("events:ics", args=[event.pk])).status_code == 200


@pytest.mark.django_db
def test_the_confirmation_names_the_event_the_date_and_the_places() -> None:
    event = EventFactory(
        capacity=10,
        max_places_per_booking=4,
        starts_at=datetime(2030, 6, 3, 10, 30, tzinfo=LONDON),
        ends_at=datetime(2030, 6, 3, 12, 0, tzinfo=LONDON),
    )
    response, _ = _book_through_the_form(Client(), event, places=3)
    page = Client().get(response["Location"]).content.decode()
    assert "<title>Your place is booked \N{EN DASH} " + event.title in page
    assert "Booking booked" not in page
    assert "Your 3 places are booked" in page
    assert "Monday 3 June 2030" in page and "10:30am to midday" in page
    assert "Add this event to your calendar" in page


@pytest.mark.django_db
def test_a_waiting_list_result_offers_no_calendar_and_no_cancel() -> None:
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    response, _ = _book_through_the_form(Client(), event)
    page = Client().get(response["Location"]).content.decode()
    assert "You do not have a place yet" in page
    assert "Add this event to your calendar" not in page
    assert "cancel your booking" not in page.lower()
    assert "leave the waiting list" in page


@pytest.mark.django_db
def test_the_places_question_says_how_many_are_left_and_offers_them() -> None:
    event = EventFactory(capacity=3, max_places_per_booking=4)
    BookingFactory(event=event, places=2)
    client = Client()
    form = client.get(reverse("events:book", args=[event.pk])).content.decode()
    assert "There is 1 place left" in form
    assert "A group of more than 1 joins the waiting list together" in form
    client.post(
        reverse("events:book", args=[event.pk]),
        {
            "name": "Ada Lovelace",
            "email": "ada@example.org",
            "organisation_name": "Dorset Council",
            "places": "3",
        },
    )
    check = client.get(reverse("events:book_check", args=[event.pk])).content.decode()
    assert check.count("Only 1 place left") == 1
    assert "Book the 1 place left" in check
    assert "Join the waiting list for 3 places" in check
    key = re.search(r'name="submission_key" value="(web:[0-9a-f]+)"', check).group(1)
    client.post(
        reverse("events:book_check", args=[event.pk]), {"submission_key": key, "places": "1"}
    )
    booking = Booking.objects.get(email="ada@example.org")
    assert booking.status == "confirmed" and booking.places == 1


@pytest.mark.django_db
def test_a_larger_group_can_still_choose_to_wait_together() -> None:
    event = EventFactory(capacity=3, max_places_per_booking=4)
    BookingFactory(event=event, places=2)
    _book_through_the_form(Client(), event, places=3)
    booking = Booking.objects.get(email="ada@example.org")
    assert booking.status == "waiting" and booking.places == 3


@pytest.mark.django_db
def test_back_after_booking_shows_the_booking() -> None:
    event = EventFactory(capacity=10)
    client = Client()
    response, _ = _book_through_the_form(client, event)
    back = client.get(reverse("events:book_check", args=[event.pk]))
    assert back.status_code == 302 and back["Location"] == response["Location"]
    page = client.get(back["Location"]).content.decode()
    assert "Your answers were not saved" not in page
    assert "Your place is booked" in page
    # Someone else's browser is still told to start again.
    assert Client().get(reverse("events:book_check", args=[event.pk]))["Location"] == reverse(
        "events:book", args=[event.pk]
    )
