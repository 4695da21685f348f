"""Who did what to events and bookings: every change names its actor in the
audit log, and every look at (or download of) a list of people is recorded,
on the organiser's pages and in the API."""

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.roles import Role
from fingerpost.core.api_auth import issue_api_token
from fingerpost.core.models import AuditEntry
from fingerpost.events import services
from fingerpost.events.models import Booking

from ..factories import EventFactory, UserFactory


def entries(subject_type: str, reference: object) -> list[tuple[object, str, str]]:
    return [
        (entry.actor, entry.action, entry.detail)
        for entry in AuditEntry.objects.filter(
            subject_type=subject_type, subject_reference=str(reference)
        ).order_by("at", "pk")
    ]


def book(event, n: int) -> Booking:
    return services.book_places(
        event_id=event.pk, name=f"Person {n}", email=f"p{n}@example.org"
    ).booking


@pytest.fixture
def organiser(db):
    return UserFactory(role=Role.ORGANISER)


@pytest.mark.django_db
def test_booking_cancelling_and_the_offer_that_follows_are_recorded(organiser) -> None:
    event = EventFactory(capacity=1)
    booked = book(event, 1)
    waiting = book(event, 2)
    services.cancel_booking(booking=booked)

    assert entries("booking", booked.reference) == [
        (None, "create", f"event {event.pk}: booked"),
        (None, "change", f"event {event.pk}: cancelled"),
    ]
    assert entries("booking", waiting.reference) == [
        (None, "create", f"event {event.pk}: joined the waiting list"),
        (None, "change", f"event {event.pk}: offered a freed place"),
    ]


@pytest.mark.django_db
def test_organisers_changes_name_the_organiser(organiser) -> None:
    event = EventFactory(capacity=1)
    book(event, 1)
    first, second = book(event, 2), book(event, 3)
    services.move_in_waiting_list(booking=second, by=organiser, up=True)
    event.capacity = 2
    services.save_event(event=event, by=organiser)
    walk_in = services.record_walk_in(event=event, name="Sam Walker", by=organiser, early=True)
    services.cancel_event(event=event, by=organiser)

    assert (organiser, "change", f"event {event.pk}: moved up the waiting list") in entries(
        "booking", second.reference
    )
    assert entries("booking", walk_in.reference) == [
        (organiser, "create", f"event {event.pk}: walk-in, checked in")
    ]
    assert [(actor, action) for actor, action, _ in entries("event", event.pk)] == [
        (organiser, "change"),
        (organiser, "change"),
    ]
    assert entries("event", event.pk)[-1][2] == "cancelled, with 4 bookings"
    assert first.reference != second.reference


@pytest.mark.django_db
def test_check_in_by_hand_and_its_undoing_are_recorded_once(organiser) -> None:
    event = EventFactory(capacity=2)
    booking = book(event, 1)
    services.check_in(booking=booking, by=organiser, early=True)
    services.check_in(booking=booking, by=organiser, early=True)  # a second tap changes nothing
    services.undo_check_in(booking=booking, by=organiser)
    assert entries("booking", booking.reference)[1:] == [
        (organiser, "change", f"event {event.pk}: checked in before the day"),
        (organiser, "change", f"event {event.pk}: check-in undone"),
    ]


@pytest.mark.django_db
def test_offering_a_place_by_hand_is_recorded(client: Client, organiser) -> None:
    event = EventFactory(capacity=1)
    booked = book(event, 1)
    waiting = book(event, 2)
    services.cancel_booking(booking=booked)  # the freed place goes to the first person
    later = book(event, 3)
    event.capacity = 3
    event.save()
    client.force_login(organiser)
    url = reverse("events:waiting_list", kwargs={"pk": event.pk})
    response = client.post(url, {"booking": later.pk, "action": "offer"})
    assert response.status_code == 302
    assert entries("booking", later.reference)[-1] == (
        organiser,
        "change",
        f"event {event.pk}: offered a place by hand",
    )
    assert waiting.reference != later.reference


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs", "action", "detail"),
    [
        ("attendees", {}, "view", "attendee list"),
        ("export", {"fmt": "csv"}, "export", "attendee list (csv)"),
        ("export", {"fmt": "xlsx"}, "export", "attendee list (xlsx)"),
        ("waiting_list", {}, "view", "waiting list"),
        ("check_in", {}, "view", "check-in list"),
    ],
)
def test_lists_of_people_are_audited_on_the_web(
    client: Client, organiser, name: str, kwargs: dict, action: str, detail: str
) -> None:
    event = EventFactory()
    book(event, 1)
    client.force_login(organiser)
    response = client.get(reverse(f"events:{name}", kwargs={"pk": event.pk, **kwargs}))
    assert response.status_code == 200
    assert entries("event", event.pk) == [(organiser, action, detail)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "detail"),
    [("attendees", "attendee list (api)"), ("waiting-list", "waiting list (api)")],
)
def test_lists_of_people_are_audited_in_the_api(
    client: Client, organiser, path: str, detail: str
) -> None:
    event = EventFactory()
    book(event, 1)
    headers = {"Authorization": f"Bearer {issue_api_token(organiser)}"}
    response = client.get(f"/api/v1/events/{event.pk}/{path}", headers=headers)
    assert response.status_code == 200
    assert entries("event", event.pk) == [(organiser, "view", detail)]


@pytest.mark.django_db
def test_a_refused_look_is_not_recorded(client: Client) -> None:
    event = EventFactory()
    client.force_login(UserFactory(role=Role.MEMBER))
    assert client.get(reverse("events:attendees", kwargs={"pk": event.pk})).status_code == 403
    assert not AuditEntry.objects.filter(subject_type="event").exists()
