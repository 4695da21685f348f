"""The exact number of queries of the main writes. A change that adds one
fails here, so it is seen and agreed in review (as the page counts are in
each app's view tests)."""

import pytest

from fingerpost.events import services

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
