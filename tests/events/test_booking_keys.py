"""Booking keys (findings 4 and 9): each caller's Idempotency-Keys are its own,
the help desk's are random and its places are linked to the request, and the
API's answer never says whether an address has booked."""

import pytest
from django.core import mail
from django.test import Client

from fingerpost.accounts.roles import Role
from fingerpost.core import api_auth
from fingerpost.events.models import Booking
from fingerpost.helpdesk import services as helpdesk
from fingerpost.helpdesk.models import SessionBooking

from ..factories import EventFactory, OrganisationFactory, UserFactory

API = "/api/v1/events"


def book(client: Client, event_id: int, body: dict, key: str | None = None, **headers: str):
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(
        f"{API}/{event_id}/bookings", body, content_type="application/json", headers=headers
    )


def person(n: int) -> dict:
    return {"name": f"Person {n}", "email": f"person{n}@example.org"}


@pytest.mark.django_db
def test_two_clients_with_the_same_key_each_get_their_own_booking() -> None:
    event = EventFactory(capacity=5)
    first, second = UserFactory(), UserFactory()
    a = book(Client(), event.pk, person(1), "same", **bearer(first))
    b = book(Client(), event.pk, person(2), "same", **bearer(second))
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["manage_token"] != b.json()["manage_token"]
    assert Booking.objects.filter(event=event).count() == 2


@pytest.mark.django_db
def test_anonymous_clients_at_two_addresses_do_not_share_keys() -> None:
    event = EventFactory(capacity=5)
    a = book(Client(REMOTE_ADDR="192.0.2.1"), event.pk, person(1), "k")
    b = book(Client(REMOTE_ADDR="192.0.2.2"), event.pk, person(1), "k")
    assert a.status_code == b.status_code == 201
    # The second did not get the first one's booking or token.
    assert a.json()["manage_token"] not in b.content.decode()
    assert Booking.objects.filter(event=event).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_booked_address_gets_an_answer_like_any_other() -> None:
    event = EventFactory(capacity=5)
    client = Client()
    real = book(client, event.pk, person(1), "first")
    mail.outbox.clear()
    stranger = Client(REMOTE_ADDR="192.0.2.9")
    fake = book(stranger, event.pk, {**person(1), "name": "Nosy"}, "probe")
    assert fake.status_code == real.status_code == 201
    assert set(fake.json()) == set(real.json())
    assert (
        fake.json()["manage_token"] and fake.json()["manage_token"] != real.json()["manage_token"]
    )
    # Repeating the key answers as a repeat does, 200 with the same body.
    again = book(stranger, event.pk, {**person(1), "name": "Nosy"}, "probe")
    assert again.status_code == 200 and again.json() == fake.json()
    # The link itself went to the address, by email.
    assert [m.to for m in mail.outbox] == [[person(1)["email"]]]
    # And the stand-in token cancels nothing.
    cancel = stranger.post(f"{API}/bookings/{fake.json()['manage_token']}/cancel")
    assert cancel.status_code == 404
    assert Booking.objects.get().status == "confirmed"


@pytest.fixture
def help_request(db):
    OrganisationFactory(name="Help desk", kind="library")
    return helpdesk.submit_request(
        answers=helpdesk.IntakeAnswers(
            needs=["email"],
            name="Margaret Jones",
            email="margaret@example.org",
            phone="01305 123456",
            postcode_or_town="DT1 1AA",
            consent_to_share=True,
        )
    )


@pytest.mark.django_db(transaction=True)
def test_the_help_desks_key_cannot_be_guessed_to_take_over_its_booking(help_request) -> None:
    club = EventFactory(kind="drop_in", capacity=5)
    guessed = f"helpdesk:{help_request.reference}:{club.pk}:1"
    # Someone who knows the reference books first under the old key pattern.
    attacker = book(Client(), club.pk, {"name": "Attacker", "email": "x@example.org"}, guessed)
    assert attacker.status_code == 201
    coordinator = UserFactory(role=Role.COORDINATOR)
    booking = helpdesk.book_session_place(
        request=help_request, by=coordinator, expected_version=help_request.version, event=club
    )
    # The resident's place was still booked, and it is linked to the request.
    assert booking.name == "Margaret Jones"
    assert SessionBooking.objects.get(booking=booking).request == help_request
    assert booking.idempotency_key.startswith("helpdesk:")
    assert help_request.reference not in booking.idempotency_key
    # Knowing the reference and the email gets nobody the resident's token.
    probe = book(Client(), club.pk, {"name": "M", "email": "margaret@example.org"}, guessed)
    assert booking.token not in probe.content.decode()


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_auth.issue_api_token(user)}"}
