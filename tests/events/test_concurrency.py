"""Many people booking the last places at once, on PostgreSQL with real
connections: never more places than the event has, never two bookings for
one person, and the waiting list in the order people were served."""

import threading

import pytest
from django.db import close_old_connections, connection

from fingerpost.events import services
from fingerpost.events.models import Booking, BookingStatus

from ..factories import EventFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
)


def _run_in_threads(count: int, target) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            target(n)
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_many_threads_never_overbook() -> None:
    event = EventFactory(capacity=10, max_places_per_booking=2)

    def book(n: int) -> None:
        services.book_places(
            event_id=event.pk, name=f"P{n}", email=f"p{n}@example.org", places=1 + n % 2
        )

    assert _run_in_threads(30, book) == []
    confirmed = Booking.objects.filter(event=event, status=BookingStatus.CONFIRMED)
    assert sum(b.places for b in confirmed) <= 10
    assert Booking.objects.filter(event=event).count() == 30
    positions = list(Booking.objects.filter(event=event).values_list("queue_position", flat=True))
    assert len(set(positions)) == 30


@pytest.mark.django_db(transaction=True)
def test_a_double_click_books_once() -> None:
    event = EventFactory(capacity=10)

    def same_person(n: int) -> None:
        services.book_places(
            event_id=event.pk, name="Dee", email="dee@example.org", idempotency_key=f"k{n % 2}"
        )

    assert _run_in_threads(8, same_person) == []
    assert Booking.objects.filter(event=event).count() == 1


@pytest.mark.django_db(transaction=True)
def test_cancellations_and_bookings_at_once_keep_the_count_right() -> None:
    event = EventFactory(capacity=5)
    first = [
        services.book_places(event_id=event.pk, name=f"B{n}", email=f"b{n}@example.org").booking
        for n in range(5)
    ]

    def churn(n: int) -> None:
        if n < 5:
            services.cancel_booking(booking=first[n])
        else:
            services.book_places(event_id=event.pk, name=f"N{n}", email=f"n{n}@example.org")

    assert _run_in_threads(20, churn) == []
    holding = Booking.objects.filter(event=event, status__in=["confirmed", "offered"])
    assert sum(b.places for b in holding) <= 5


@pytest.mark.django_db(transaction=True)
def test_the_queue_follows_the_order_in_which_the_lock_served_people() -> None:
    event = EventFactory(capacity=5)

    def book(n: int) -> None:
        # Each person twice at once, with and without a key: one booking each.
        services.book_places(event_id=event.pk, name=f"P{n}", email=f"p{n % 20}@example.org")

    assert _run_in_threads(40, book) == []
    bookings = list(Booking.objects.filter(event=event).order_by("queue_position"))
    assert len(bookings) == 20
    assert [b.queue_position for b in bookings] == list(range(1, 21))
    # Served in queue order: each was made (clock read under the lock) after the one before.
    times = [b.created_at for b in bookings]
    assert times == sorted(times)
    assert [b.status for b in bookings[:5]] == [BookingStatus.CONFIRMED] * 5
    assert {b.status for b in bookings[5:]} == {BookingStatus.WAITING}
