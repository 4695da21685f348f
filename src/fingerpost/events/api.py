"""Events in the JSON API: find and book events, cancel with the private
token, and (for organisers) see who is booked and who is waiting.

Every write goes through events.services, exactly as the web pages do.
Every error is JSON with a "detail" key; nothing a client sends may cause a
500, so input is checked here before it reaches the database.
"""

import hashlib
import re
import secrets
from base64 import urlsafe_b64encode
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.crypto import salted_hmac
from ninja import Field, Header, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from fingerpost.accounts.models import User
from fingerpost.core import limits, links
from fingerpost.core.api_auth import (
    api_caller,
    api_client_id,
    optional_auth,
    token_or_session_auth,
)
from fingerpost.core.api_common import BoundedLimitOffsetPagination, ErrorOut, api_user
from fingerpost.core.errors import NotAllowed
from fingerpost.core.identifiers import READABLE_ALPHABET
from fingerpost.core.text import email_address

from . import notifications, queries, services
from .answers import clean_answers
from .models import (
    Audience,
    Booking,
    BookingStatus,
    Event,
    EventKind,
    QuestionKind,
    RegistrationQuestion,
)
from .rules import STAFF_ONLY_MESSAGE, may_book

router = Router(tags=["events"])

MAX_IDEMPOTENCY_KEY_LENGTH = 64
BOOKING_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


# ---------------------------------------------------------------- schemas


class QuestionOut(Schema):
    id: int
    text: str
    kind: str
    choices: list[str]
    required: bool

    @staticmethod
    def resolve_choices(obj: RegistrationQuestion) -> list[str]:
        return obj.choice_list if obj.kind == QuestionKind.CHOICE else []


class EventOut(Schema):
    id: int
    title: str
    summary: str
    kind: str
    audience: str
    starts_at: datetime | None
    ends_at: datetime | None
    venue_name: str
    online: bool
    capacity: int
    places_left: int
    waiting_list_length: int
    booking_open: bool
    url: str

    @staticmethod
    def resolve_online(obj: Event) -> bool:
        # The joining link itself goes only to people with a place (in their emails).
        return bool(obj.online_link)

    @staticmethod
    def resolve_waiting_list_length(obj: Event) -> int:
        return int(obj.waiting_count)  # type: ignore[attr-defined]  # queries.with_place_counts

    @staticmethod
    def resolve_booking_open(obj: Event) -> bool:
        return obj.booking_is_open()

    @staticmethod
    def resolve_url(obj: Event) -> str:
        # From the site's one address, not the Host header the caller sent.
        return links.absolute_url(obj.get_absolute_url())


class EventDetailOut(EventOut):
    status: str
    description: str
    venue_address: str
    venue_accessibility: str
    max_places_per_booking: int
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj: Event) -> list[RegistrationQuestion]:
        return queries.registration_questions(obj)


class BookingIn(Schema):
    name: str = Field(..., max_length=150)
    email: str = Field(..., max_length=254)
    organisation: str = Field("", max_length=200)
    places: int = 1
    answers: dict[str, str] | None = Field(
        None, description="Answers to the event's questions, keyed by question id."
    )


class BookingOut(Schema):
    reference: str
    status: str
    waiting_position: int | None
    places: int
    manage_token: str | None = Field(
        None,
        description="The private token for managing the booking. Only given to the client "
        "that made the booking (or repeats its Idempotency-Key), never to a request that "
        "merely names an email address that is already booked.",
    )


class PlacesIn(Schema):
    places: int = Field(..., description="The number of places the booking should hold.")


class CancelOut(Schema):
    reference: str
    status: str


class AttendeeOut(Schema):
    reference: str
    name: str
    email: str
    organisation: str
    places: int
    checked_in: bool
    checked_in_at: datetime | None

    @staticmethod
    def resolve_organisation(obj: Booking) -> str:
        return obj.organisation_name

    @staticmethod
    def resolve_checked_in(obj: Booking) -> bool:
        return obj.checked_in_at is not None


class WaitingOut(Schema):
    position: int
    reference: str
    name: str
    email: str
    places: int
    joined_at: datetime

    @staticmethod
    def resolve_joined_at(obj: Booking) -> datetime:
        return obj.created_at


# ---------------------------------------------------------------- helpers


def _public_event(event_id: int) -> Event:
    try:
        return queries.public_event(event_id)
    except Event.DoesNotExist:
        raise Http404 from None


def _clean_idempotency_key(key: str | None) -> str | None:
    key = (key or "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise HttpError(
            422,
            f"The Idempotency-Key header must be {MAX_IDEMPOTENCY_KEY_LENGTH} characters or fewer",
        )
    if key and not key.isprintable():
        raise HttpError(422, "The Idempotency-Key header must be printable characters")
    return key or None


def _scoped_key(request: HttpRequest, key: str | None) -> str | None:
    """The client's key in its own namespace: a hash of who is calling and the
    key, so one client's key can never find another's booking (nor the web's
    or the help desk's, which are not of this form)."""
    if key is None:
        return None
    digest = hashlib.sha256(f"{api_client_id(request)}\n{key}".encode()).hexdigest()
    return f"api:{digest[:56]}"


def _stand_in(
    request: HttpRequest, event: Event, *, places: int, key: str | None
) -> Status[dict[str, Any]]:
    """The answer to a booking for an address that already has one: the same
    status and shape as a new booking, so the answer says nothing about who
    has booked; the real booking's link goes to that address by email. The
    same key gets the same answer (201, then 200), as for a real booking."""
    seed = key or secrets.token_hex(16)
    digest = salted_hmac("fingerpost.booking-stand-in", seed, algorithm="sha256").digest()
    alphabet = READABLE_ALPHABET
    reference = "".join(alphabet[b % len(alphabet)] for b in digest[:8])
    confirmed = places <= queries.places_left(event)
    repeat = key is not None and not cache.add(f"events.stand-in:{key}", 1, timeout=86_400)
    body = {
        "reference": reference,
        "status": BookingStatus.CONFIRMED if confirmed else BookingStatus.WAITING,
        "waiting_position": None if confirmed else queries.waiting_list(event).count() + 1,
        "places": places,
        "manage_token": urlsafe_b64encode(digest[8:26]).decode().rstrip("="),
    }
    return Status(200 if repeat else 201, body)


def _booking_out(booking: Booking, *, show_token: bool, position: int | None) -> dict[str, Any]:
    return {
        "reference": booking.reference,
        "status": booking.status,
        "waiting_position": position,
        "places": booking.places,
        "manage_token": booking.token if show_token else None,
    }


def _managed_event(request: HttpRequest, event_id: int) -> tuple[User, Event]:
    user = api_user(
        request, "events.manage_event", refusal="Only event organisers can see who is booked"
    )
    return user, get_object_or_404(queries.events_managed_by(user), pk=event_id)


# ---------------------------------------------------------------- public


@router.get("/", response=list[EventOut])
@paginate(BoundedLimitOffsetPagination)
def list_events(
    request: HttpRequest, kind: EventKind | None = None, audience: Audience | None = None
) -> QuerySet[Event]:
    """Published events that have not ended, soonest first."""
    return queries.upcoming_public_events(kind=kind, audience=audience)


@router.get("/{event_id}", response={200: EventDetailOut, 404: ErrorOut})
def get_event(request: HttpRequest, event_id: int) -> Event:
    return _public_event(event_id)


@router.post(
    "/{event_id}/bookings",
    response={
        200: BookingOut,
        201: BookingOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    auth=optional_auth,
)
def book_event(
    request: HttpRequest,
    event_id: int,
    payload: BookingIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    """Book places, or join the waiting list when the event is full.

    Send an `Idempotency-Key` header (up to 64 characters, unique per attempt)
    so a retried request finds the booking it already made: the answer is then
    200 with that booking, not a second booking. An email address that is
    already booked gets 409 and nothing about that booking: its holder is
    emailed the link to it instead (at most once a day).
    """
    key = _scoped_key(request, _clean_idempotency_key(idempotency_key))
    caller = api_caller(request)
    event = _public_event(event_id)
    if not may_book(caller, event):
        # Staff-only events: a verified member's token (or session), as on the web.
        raise NotAllowed(STAFF_ONLY_MESSAGE)
    answers = clean_answers(queries.registration_questions(event), payload.answers or {})
    # Counted before anything is saved or sent, stand-in answers too.
    limits.check(request, "bookings", email=payload.email)
    result = services.book_places(
        event_id=event.pk,
        name=payload.name,
        email=payload.email,
        organisation_name=payload.organisation,
        places=payload.places,
        answers=answers,
        idempotency_key=key,
        by=caller,
    )
    booking = result.booking
    # The token lets its holder cancel: only the client that made the booking
    # (proved by repeating its key, for the same address) may have it.
    made_by_this_client = result.created or (
        key is not None
        and booking.idempotency_key == key
        and booking.email == email_address(payload.email)
    )
    if not made_by_this_client:
        notifications.remind_of_existing_booking(booking)
        return _stand_in(request, event, places=payload.places, key=key)
    position = result.waiting_position if result.created else queries.waiting_position(booking)
    return Status(
        201 if result.created else 200, _booking_out(booking, show_token=True, position=position)
    )


@router.post("/bookings/{token}/cancel", response={200: CancelOut, 404: ErrorOut, 422: ErrorOut})
def cancel_booking(request: HttpRequest, token: str) -> dict[str, str]:
    """Cancel a booking or leave the waiting list; a freed place is offered to the next person."""
    if not BOOKING_TOKEN.fullmatch(token):
        raise Http404
    booking = get_object_or_404(queries.booking_by_token(token))
    booking = services.cancel_booking(booking=booking)
    return {"reference": booking.reference, "status": booking.status}


@router.post(
    "/bookings/{token}/places",
    response={200: BookingOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def change_places(request: HttpRequest, token: str, payload: PlacesIn) -> dict[str, Any]:
    """Change how many places a booking holds. Fewer frees places for the
    waiting list; more needs them free now (409 says how many are, and the
    booking stays as it was). On the waiting list, the booking waits for the
    new number."""
    if not BOOKING_TOKEN.fullmatch(token):
        raise Http404
    booking = get_object_or_404(queries.booking_by_token(token))
    booking = services.change_places(booking=booking, places=payload.places)
    return _booking_out(booking, show_token=False, position=queries.waiting_position(booking))


# ---------------------------------------------------------------- organisers


@router.get(
    "/{event_id}/attendees",
    response=list[AttendeeOut],
    auth=token_or_session_auth,
)
@paginate(BoundedLimitOffsetPagination)
def list_attendees(request: HttpRequest, event_id: int) -> QuerySet[Booking]:
    """People with a confirmed place, by name as on the attendee list (organisers only)."""
    user, event = _managed_event(request, event_id)
    services.record_list_viewed(event=event, by=user, what="attendee list (api)")
    return queries.confirmed_bookings(event)


@router.get(
    "/{event_id}/waiting-list",
    response=list[WaitingOut],
    auth=token_or_session_auth,
)
@paginate(BoundedLimitOffsetPagination)
def list_waiting(request: HttpRequest, event_id: int) -> QuerySet[Booking]:
    """People waiting for a place, first in the queue first (organisers only)."""
    user, event = _managed_event(request, event_id)
    services.record_list_viewed(event=event, by=user, what="waiting list (api)")
    return queries.waiting_list(event)
