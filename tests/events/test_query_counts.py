"""The exact number of queries of the main writes. A change that adds one
fails here, so it is seen and agreed in review (as the page counts are in
each app's view tests)."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.events import queries, services
from fingerpost.events.models import Booking, BookingStatus, RegistrationQuestion

from ..factories import EventFactory
from ..querycount import assert_query_count


def book(event, n: int):
    return services.book_places(event_id=event.pk, name=f"Person {n}", email=f"p{n}@example.org")


@pytest.mark.django_db
def test_a_booking() -> None:
    event = EventFactory(capacity=5)
    # Open the transaction (a savepoint inside the test's), lock the event;
    # one read of the places taken, the end of the queue and an earlier
    # booking by this address; the booking, its confirmation email (new, so no
    # savepoint to catch a second), the audit entry; commit. Five of them hold
    # the event's lock, which every other booker of this event waits for.
    with assert_query_count(7):
        book(event, 1)


@pytest.mark.django_db
def test_joining_the_waiting_list() -> None:
    event = EventFactory(capacity=1)
    book(event, 1)
    # As a booking; the notice is the waiting-list one.
    with assert_query_count(7):
        book(event, 2)


@pytest.mark.django_db
def test_a_cancellation_that_offers_the_place() -> None:
    event = EventFactory(capacity=1)
    booked = book(event, 1).booking
    book(event, 2)
    # Lock, re-read, cancel, its email once, audit; then count the places,
    # read the waiting list, offer, its email once, audit.
    with assert_query_count(16):
        services.cancel_booking(booking=booked)


def book_through_api(client: Client, event, n: int) -> dict:
    response = client.post(
        f"/api/v1/events/{event.pk}/bookings",
        json.dumps({"name": f"Person {n}", "email": f"p{n}@example.org"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.django_db
def test_a_booking_through_the_api(client: Client) -> None:
    event = EventFactory(capacity=5)
    # The event with its counts and its number of questions (none, so they are
    # not fetched), then the booking's own seven; the waiting position comes
    # from the read under the lock, so nothing is counted afterwards.
    with assert_query_count(8):
        answer = book_through_api(client, event, 1)
    assert answer["status"] == BookingStatus.CONFIRMED
    assert answer["waiting_position"] is None


@pytest.mark.django_db
def test_joining_the_waiting_list_through_the_api(client: Client) -> None:
    event = EventFactory(capacity=1)
    book_through_api(client, event, 1)
    book_through_api(client, event, 2)
    with assert_query_count(8):
        answer = book_through_api(client, event, 3)
    assert answer["status"] == BookingStatus.WAITING
    # Counted under the lock, and the same as the queue says afterwards.
    assert answer["waiting_position"] == 2
    booking = Booking.objects.get(reference=answer["reference"])
    assert queries.waiting_position(booking) == 2


@pytest.mark.django_db
def test_an_event_with_questions_still_reads_them(client: Client) -> None:
    event = EventFactory(capacity=5)
    RegistrationQuestion.objects.create(
        event=event, text="Dietary needs", kind="text", required=True
    )
    response = client.post(
        f"/api/v1/events/{event.pk}/bookings",
        json.dumps({"name": "Person 1", "email": "p1@example.org"}),
        content_type="application/json",
    )
    # The required question is asked for: the count did not skip it.
    assert response.status_code == 422, response.content
    assert "Dietary needs" in response.json()["detail"]
    assert not Booking.objects.filter(event=event).exists()


@pytest.mark.django_db
def test_the_last_step_of_the_booking_form() -> None:
    event = EventFactory(capacity=5)
    client = Client()
    details = {"name": "Ada Lovelace", "email": "ada@example.org", "organisation_name": "Council"}
    client.post(reverse("events:book", args=[event.pk]), details)
    check = client.get(reverse("events:book_check", args=[event.pk])).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', check).group(1)
    # The event with its counts; the booking's seven (no look-up of an
    # earlier booking by the key first: the booking's own read finds it).
    # No session is read or saved: the answers are in the booking cookie.
    with assert_query_count(8):
        done = client.post(reverse("events:book_check", args=[event.pk]), {"submission_key": key})
    assert done.status_code == 302
    assert Booking.objects.filter(event=event).count() == 1


@pytest.mark.django_db
def test_the_five_pages_of_the_booking_form() -> None:
    event = EventFactory(capacity=5)
    client = Client()
    details = {"name": "Ada Lovelace", "email": "ada@example.org", "organisation_name": "Council"}
    book = reverse("events:book", args=[event.pk])
    check = reverse("events:book_check", args=[event.pk])
    # The event (with its counts) on each of the four form pages, the
    # booking's seven (its savepoint and release counted here, so 9), and the
    # booking on the confirmation page: no session is read or written. It was
    # 25 with the answers in the session (seven session reads and writes).
    with assert_query_count(12):
        assert client.get(book).status_code == 200
        assert client.post(book, details).status_code == 302
        page = client.get(check).content.decode()
        key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
        done = client.post(check, {"submission_key": key})
        assert "Your place is booked" in client.get(done["Location"]).content.decode()
