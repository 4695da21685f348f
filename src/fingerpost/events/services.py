"""Every change to events and bookings. Scarce places are allocated here and
only here: each function that can change who holds a place locks the event
row first (select_for_update), re-counts, and writes in one transaction.

Every change names who made it (`by`: the person signed in, or None for a
resident using their private link and for the timed jobs) and records it in
the audit log, in the same transaction: bookings under their reference,
events under their id. Looking at or downloading a list of people is
recorded too (`record_list_viewed`)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.formats import date_format

from fingerpost.accounts.models import User
from fingerpost.core import audit, inserts
from fingerpost.core.errors import Conflict, Invalid, NotAllowed
from fingerpost.core.models import AuditAction
from fingerpost.core.text import email_address, visible_text

from . import notifications, queries, signals
from .models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    Event,
    EventSeries,
    EventStatus,
    FeedbackQuestion,
    FeedbackResponse,
    NotificationKind,
    RegistrationQuestion,
)
from .queries import can_still_cancel, places_taken
from .rules import STAFF_ONLY_MESSAGE, may_book

MIN_OFFER_WINDOW = timedelta(minutes=15)
# How changes are filed in the audit log.
EVENT_SUBJECT = "event"
BOOKING_SUBJECT = "booking"


@dataclass(frozen=True)
class BookingResult:
    booking: Booking
    created: bool
    # For a new booking on the waiting list: its place in the queue, counted
    # under the lock (1 for the first person waiting); None otherwise.
    waiting_position: int | None = None


# ---------------------------------------------------------------- recording


def _log_event(event: Event, *, by: User | None, action: str, detail: str) -> None:
    audit.record(
        actor=by, action=action, subject_type=EVENT_SUBJECT, reference=str(event.pk), detail=detail
    )


def _log_booking(booking: Booking, *, by: User | None, action: str, detail: str) -> None:
    audit.record(
        actor=by,
        action=action,
        subject_type=BOOKING_SUBJECT,
        reference=booking.reference,
        detail=f"event {booking.event_id}: {detail}",
    )


def record_list_viewed(*, event: Event, by: User | None, what: str, export: str = "") -> None:
    """Someone saw (or, with `export` naming the format, downloaded) a list
    of the people booked or waiting: their names, emails and answers."""
    action = AuditAction.EXPORT if export else AuditAction.VIEW
    _log_event(event, by=by, action=action, detail=f"{what} ({export})" if export else what)


# ---------------------------------------------------------------- locking


def _lock_event(event_id: int) -> Event:
    return queries.lock_event(event_id)


def _next_queue_position(event: Event) -> int:
    last = Booking.objects.filter(event=event).aggregate(last=Max("queue_position"))["last"]
    return int(last or 0) + 1


# ---------------------------------------------------------------- booking


def book_places(
    *,
    event_id: int,
    name: str,
    email: str,
    organisation_name: str = "",
    places: int = 1,
    answers: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    email_optional: bool = False,
    by: User | None = None,
    now: datetime | None = None,
) -> BookingResult:
    """Book places, or join the waiting list when the event is full.

    The same idempotency key, or an email address that already holds an
    active booking, returns the existing booking instead of a second one.
    Staff booking for someone without email pass `email_optional`.
    """
    name = visible_text(name)
    if not name:
        raise Invalid("Enter your name", field="name")
    email = email_address(email) if email.strip() or not email_optional else ""
    try:
        # Outermost, this is the only transaction: no savepoints, so the
        # event's row lock is held for as few round trips as possible.
        with transaction.atomic():
            return _book_under_lock(
                event_id=event_id,
                name=name,
                email=email,
                organisation_name=organisation_name,
                places=places,
                answers=answers,
                idempotency_key=idempotency_key,
                by=by,
                now=now,
            )
    except IntegrityError:
        # Only reachable without the row lock (never on PostgreSQL or
        # SQLite's immediate transactions); answer as for a duplicate.
        existing = _existing_booking(event_id, email=email, idempotency_key=idempotency_key)
        if existing is None:
            raise
        return BookingResult(existing, created=False)


def _book_under_lock(
    *,
    event_id: int,
    name: str,
    email: str,
    organisation_name: str,
    places: int,
    answers: dict[str, Any] | None,
    idempotency_key: str | None,
    by: User | None,
    now: datetime | None,
) -> BookingResult:
    event = _lock_event(event_id)
    if not may_book(by, event):
        raise NotAllowed(STAFF_ONLY_MESSAGE)
    # Read the clock only once the lock is held, so times follow queue order.
    now = now or timezone.now()
    # One read, after the lock: the places taken, the end of the queue, how
    # many wait, and any booking this person already holds (by key or address).
    state = queries.places_state(event.pk, idempotency_key=idempotency_key, email=email)
    if state.existing_pk is not None:
        return BookingResult(Booking.objects.get(pk=state.existing_pk), created=False)
    if not event.booking_is_open(now):
        raise Invalid("Booking is closed for this event")
    if places < 1 or places > event.max_places_per_booking:
        raise Invalid(
            f"You can book between 1 and {event.max_places_per_booking} places"
            if event.max_places_per_booking > 1
            else "You can book 1 place"
        )
    if places > event.capacity:
        raise Invalid(f"This event has {event.capacity} places in total")
    confirmed = places <= event.capacity - state.taken
    # Compiled once (core/inserts.py): this runs under the event's lock.
    booking = inserts.insert(
        Booking(
            event=event,
            name=name,
            email=email,
            organisation_name=visible_text(organisation_name),
            places=places,
            answers=answers or {},
            idempotency_key=idempotency_key or None,
            status=BookingStatus.CONFIRMED if confirmed else BookingStatus.WAITING,
            queue_position=state.last_in_queue + 1,
            created_at=now,
            confirmed_at=now if confirmed else None,
        )
    )
    kind = NotificationKind.CONFIRMATION if confirmed else NotificationKind.WAITING
    # The booking is new in this transaction: no email about it can exist yet.
    notifications.notify(booking, kind, first=True)
    _log_booking(
        booking,
        by=by,
        action=AuditAction.CREATE,
        detail="booked" if confirmed else "joined the waiting list",
    )
    # Last in the queue, so everyone waiting is ahead of this booking.
    position = None if confirmed else state.waiting + 1
    return BookingResult(booking, created=True, waiting_position=position)


def _existing_booking(event_id: int, *, email: str, idempotency_key: str | None) -> Booking | None:
    if idempotency_key:
        by_key = Booking.objects.filter(event_id=event_id, idempotency_key=idempotency_key).first()
        if by_key is not None:
            return by_key
    if not email:
        return None
    return Booking.objects.filter(
        event_id=event_id, email=email, status__in=ACTIVE_STATUSES
    ).first()


def cancel_booking(
    *, booking: Booking, by: User | None = None, now: datetime | None = None
) -> Booking:
    """The person cancels (or leaves the waiting list); a freed place is offered on."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(booking.event_id)
        booking = Booking.objects.get(pk=booking.pk)
        booking.event = event  # the locked row: emails and logs read it, not a fresh query
        if booking.status not in ACTIVE_STATUSES:
            return booking
        if not can_still_cancel(booking, event=event, now=now):
            raise Invalid("The event has started, so the booking can no longer be cancelled")
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.offer_expires_at = None
        booking.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
        notifications.notify(booking, NotificationKind.BOOKING_CANCELLED)
        _log_booking(booking, by=by, action=AuditAction.CHANGE, detail="cancelled")
        offer_freed_places(event=event, now=now)
    return booking


def change_places(
    *, booking: Booking, places: int, by: User | None = None, now: datetime | None = None
) -> Booking:
    """The person changes how many places their booking holds. Fewer frees
    places for the waiting list; more needs them free now (a booking on the
    waiting list just waits for the new number)."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(booking.event_id)
        booking = Booking.objects.get(pk=booking.pk)
        booking.event = event
        if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.WAITING):
            raise Conflict("Only a booking with places, or on the waiting list, can be changed")
        if not can_still_cancel(booking, event=event, now=now):
            raise Invalid("The event has started, so the booking can no longer be changed")
        most = event.max_places_per_booking
        if places < 1 or places > most:
            raise Invalid(f"Choose a number from 1 to {most}", field="places")
        before = booking.places
        if places == before:
            return booking
        if booking.status == BookingStatus.CONFIRMED and places > before:
            free = event.capacity - places_taken(event)
            if places - before > free:
                raise Conflict(
                    f"There {'is' if free == 1 else 'are'} only {free} more "
                    f"place{'' if free == 1 else 's'} free, so your booking stays at {before}",
                    field="places",
                )
        booking.places = places
        booking.save(update_fields=["places"])
        if booking.status == BookingStatus.CONFIRMED:
            # A fresh confirmation with the new number (and a new check-in code).
            notifications.notify(
                booking, NotificationKind.CONFIRMATION, discriminator=f"places:{now.isoformat()}"
            )
        _log_booking(
            booking,
            by=by,
            action=AuditAction.CHANGE,
            detail=f"places changed from {before} to {places}",
        )
        offer_freed_places(event=event, now=now)
    return booking


def claim_offer(
    *, booking: Booking, by: User | None = None, now: datetime | None = None
) -> Booking:
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(booking.event_id)
        booking = Booking.objects.get(pk=booking.pk)
        booking.event = event  # the locked row: emails and logs read it, not a fresh query
        if booking.status == BookingStatus.CONFIRMED:
            return booking
        if booking.status != BookingStatus.OFFERED:
            raise Conflict("This offer is no longer open")
        expired = booking.offer_expires_at is not None and booking.offer_expires_at <= now
        if expired:
            # Committed before the error is raised: the place must still pass on.
            _expire_offer(booking, event=event, now=now)
        else:
            booking.status = BookingStatus.CONFIRMED
            booking.confirmed_at = now
            booking.offer_expires_at = None
            booking.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
            notifications.notify(booking, NotificationKind.CONFIRMATION)
            _log_booking(booking, by=by, action=AuditAction.CHANGE, detail="offer claimed")
    if expired:
        raise Conflict("This offer has expired and the place has gone to the next person")
    return booking


# ---------------------------------------------------------------- waiting list


def offer_window(event: Event, now: datetime) -> timedelta:
    """48 hours by default; shorter close to the event, so offers can pass on
    in time, and never past the moment booking closes or the event starts."""
    window = timedelta(hours=event.offer_hours)
    ends = [moment for moment in (event.starts_at, event.booking_closes_at) if moment]
    if ends:
        left = min(ends) - now
        window = min(window, max(left / 2, MIN_OFFER_WINDOW), max(left, timedelta(0)))
    return window


def offer_freed_places(*, event: Event, now: datetime | None = None) -> list[Booking]:
    """Offer free places to the first people waiting who fit. The caller holds
    the event's row lock."""
    now = now or timezone.now()
    if not event.booking_is_open(now):
        return []
    free = event.capacity - places_taken(event)
    offered: list[Booking] = []
    if free <= 0:
        return offered
    waiting = Booking.objects.filter(event=event, status=BookingStatus.WAITING).order_by(
        "queue_position", "pk"
    )
    expires_at = now + offer_window(event, now)
    for booking in waiting:
        booking.event = event
        if free <= 0:
            break
        if booking.places > free:
            continue
        _make_offer(booking, expires_at=expires_at, by=None, detail="offered a freed place")
        free -= booking.places
        offered.append(booking)
    return offered


def _make_offer(booking: Booking, *, expires_at: datetime, by: User | None, detail: str) -> None:
    booking.status = BookingStatus.OFFERED
    booking.offer_expires_at = expires_at
    booking.save(update_fields=["status", "offer_expires_at"])
    notifications.notify(booking, NotificationKind.OFFER, discriminator=expires_at.isoformat())
    _log_booking(booking, by=by, action=AuditAction.CHANGE, detail=detail)
    # Heard by events.tasks (which runs the expiry when it is due) and the help desk.
    signals.place_offered.send(sender=Booking, booking=booking)


def _expire_offer(booking: Booking, *, event: Event, now: datetime) -> None:
    booking.status = BookingStatus.EXPIRED
    booking.offer_expires_at = None
    booking.save(update_fields=["status", "offer_expires_at"])
    notifications.notify(booking, NotificationKind.OFFER_EXPIRED)
    _log_booking(booking, by=None, action=AuditAction.CHANGE, detail="offer expired")
    offer_freed_places(event=event, now=now)


def expire_due_offers(*, event_id: int | None = None, now: datetime | None = None) -> int:
    """Pass unclaimed offers on. Run by a deferred task and by `fingerpost sweep`."""
    now = now or timezone.now()
    due = Booking.objects.filter(status=BookingStatus.OFFERED, offer_expires_at__lte=now)
    if event_id is not None:
        due = due.filter(event_id=event_id)
    expired = 0
    for event_pk in sorted(set(due.values_list("event_id", flat=True))):
        with transaction.atomic():
            event = _lock_event(event_pk)
            for booking in due.filter(event_id=event_pk).order_by("queue_position"):
                _expire_offer(booking, event=event, now=now)
                expired += 1
    return expired


def offer_place_by_hand(
    *, booking: Booking, by: User | None = None, now: datetime | None = None
) -> Booking:
    """An organiser offers a free place to someone further down the list."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(booking.event_id)
        booking = Booking.objects.get(pk=booking.pk)
        booking.event = event  # the locked row: emails and logs read it, not a fresh query
        if booking.status != BookingStatus.WAITING:
            raise Conflict("Only people on the waiting list can be offered a place")
        if booking.places > event.capacity - places_taken(event):
            raise Conflict("No places are free. Raise the number of places first")
        _make_offer(
            booking,
            expires_at=now + offer_window(event, now),
            by=by,
            detail="offered a place by hand",
        )
    return booking


def move_in_waiting_list(*, booking: Booking, by: User | None = None, up: bool) -> None:
    """Swap a waiting person with the one before (up) or after them."""
    with transaction.atomic():
        event = _lock_event(booking.event_id)
        booking = Booking.objects.get(pk=booking.pk)
        booking.event = event  # the locked row: emails and logs read it, not a fresh query
        if booking.status != BookingStatus.WAITING:
            raise Conflict("Only people on the waiting list can be moved")
        waiting = Booking.objects.filter(event=event, status=BookingStatus.WAITING)
        neighbour = (
            waiting.filter(queue_position__lt=booking.queue_position).order_by("-queue_position")
            if up
            else waiting.filter(queue_position__gt=booking.queue_position).order_by(
                "queue_position"
            )
        ).first()
        if neighbour is None:
            return
        mine, theirs = booking.queue_position, neighbour.queue_position
        # Park one row first: no two rows ever share a position mid-swap.
        Booking.objects.filter(pk=booking.pk).update(queue_position=-1)
        Booking.objects.filter(pk=neighbour.pk).update(queue_position=mine)
        Booking.objects.filter(pk=booking.pk).update(queue_position=theirs)
        _log_booking(
            booking,
            by=by,
            action=AuditAction.CHANGE,
            detail=f"moved {'up' if up else 'down'} the waiting list",
        )


# ---------------------------------------------------------------- organising


def save_event(*, event: Event, by: User | None = None, now: datetime | None = None) -> Event:
    """Create or update an event; a raised capacity is offered to the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        current: Event | None = None
        if event.pk is not None:
            current = _lock_event(event.pk)
            # Saving a copy read before someone cancelled must not bring the event back.
            if current.status == EventStatus.CANCELLED and event.status != EventStatus.CANCELLED:
                raise Conflict("This event has been cancelled, so it cannot be changed")
            taken = places_taken(event)
            if event.capacity < taken:
                raise Invalid(
                    f"{taken} places are already booked or offered, so the event needs at "
                    f"least {taken} places. Cancel bookings first to make it smaller",
                    field="capacity",
                )
        event.save()
        _log_event(
            event,
            by=by,
            action=AuditAction.CREATE if current is None else AuditAction.CHANGE,
            detail="created" if current is None else f"saved ({event.get_status_display()})",
        )
        if (
            current is not None
            and current.is_published
            and _when_or_where(current) != _when_or_where(event)
        ):
            _tell_bookers_of_change(event)
        if event.is_published:
            offer_freed_places(event=event, now=now)
            _schedule_event_emails(event)
    return event


def _when_or_where(event: Event) -> tuple[Any, ...]:
    return (
        event.starts_at,
        event.ends_at,
        event.venue_name,
        event.venue_address,
        event.online_link,
    )


def _tell_bookers_of_change(event: Event) -> None:
    """Everyone holding or waiting for a place hears that the time or place
    changed (once for each new version of when and where)."""
    version = "|".join(str(part) for part in _when_or_where(event))
    discriminator = hashlib.sha256(version.encode()).hexdigest()[:32]
    for booking in Booking.objects.filter(event=event, status__in=ACTIVE_STATUSES).exclude(
        email=""
    ):
        notifications.notify(booking, NotificationKind.EVENT_CHANGED, discriminator=discriminator)


def publish_event(*, event: Event, by: User | None = None) -> Event:
    if event.status == EventStatus.PUBLISHED:
        return event
    if event.status != EventStatus.DRAFT:
        raise Conflict("A cancelled event cannot be published again: copy it instead")
    if event.starts_at is None or event.ends_at is None:
        raise Invalid("Add a start and end time before publishing")
    event.status = EventStatus.PUBLISHED
    return save_event(event=event, by=by)


def cancel_event(*, event: Event, by: User | None = None, now: datetime | None = None) -> int:
    """Cancel the event and tell everyone booked or waiting (once each)."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(event.pk)
        if event.status == EventStatus.CANCELLED:
            return 0
        event.status = EventStatus.CANCELLED
        event.save(update_fields=["status", "updated_at"])
        affected = list(Booking.objects.filter(event=event, status__in=ACTIVE_STATUSES))
        for booking in affected:
            notifications.notify(booking, NotificationKind.EVENT_CANCELLED)
        Booking.objects.filter(pk__in=[b.pk for b in affected]).update(
            status=BookingStatus.CANCELLED, cancelled_at=now, offer_expires_at=None
        )
        _log_event(
            event,
            by=by,
            action=AuditAction.CHANGE,
            detail=f"cancelled, with {len(affected)} bookings",
        )
    return len(affected)


def copy_event(*, event: Event, by: User) -> Event:
    """Plan the next one: same details, questions and survey; no dates, no
    bookings. The person copying organises the copy."""
    with transaction.atomic():
        copy = _copy(event, organiser=by)
        _log_event(copy, by=by, action=AuditAction.CREATE, detail=f"copied from event {event.pk}")
    return copy


def _copy(event: Event, *, organiser: User) -> Event:
    with transaction.atomic():
        copy = Event.objects.get(pk=event.pk)
        copy.pk = None
        copy.id = None
        copy.status = EventStatus.DRAFT
        copy.starts_at = copy.ends_at = None
        copy.booking_opens_at = copy.booking_closes_at = None
        copy.copied_from = event
        copy.organiser = organiser
        copy.series = None
        copy.save()
        RegistrationQuestion.objects.bulk_create(
            RegistrationQuestion(
                event=copy,
                text=q.text,
                kind=q.kind,
                choices=q.choices,
                required=q.required,
                position=q.position,
            )
            for q in event.questions.all()
        )
        FeedbackQuestion.objects.bulk_create(
            FeedbackQuestion(event=copy, text=q.text, kind=q.kind, position=q.position)
            for q in event.feedback_questions.all()
        )
    return copy


def create_weekly_sessions(*, event: Event, by: User | None = None, weeks: int) -> list[Event]:
    """Turn an event into a weekly series (code clubs): each session has its own
    places, at the same local time each week whatever the clocks do."""
    if event.starts_at is None or event.ends_at is None:
        raise Invalid("Add a start and end time before repeating the event")
    if not 1 <= weeks <= 52:
        raise Invalid("Repeat for between 1 and 52 weeks", field="weeks")
    with transaction.atomic():
        # Locked, so a double click cannot make two series.
        event = _lock_event(event.pk)
        if event.starts_at is None or event.ends_at is None:
            raise Invalid("Add a start and end time before repeating the event")
        if event.status == EventStatus.CANCELLED:
            raise Conflict("A cancelled event cannot be repeated: copy it instead")
        series = event.series or EventSeries.objects.create(title=event.title)
        if event.series_id is None:
            event.series = series
            event.save(update_fields=["series"])
        # Repeating again only adds the weeks the series does not have yet.
        already = set(series.sessions.values_list("starts_at", flat=True))
        sessions = []
        for week in range(1, weeks + 1):
            starts_at = _weeks_later(event.starts_at, week)
            if starts_at in already:
                continue
            session = _copy(event, organiser=event.organiser)
            session.starts_at = starts_at
            session.ends_at = _weeks_later(event.ends_at, week)
            if event.booking_opens_at:
                session.booking_opens_at = _weeks_later(event.booking_opens_at, week)
            if event.booking_closes_at:
                session.booking_closes_at = _weeks_later(event.booking_closes_at, week)
            session.series = series
            session.status = event.status
            session.save()
            if session.is_published:
                _schedule_event_emails(session)
            sessions.append(session)
        _log_event(
            event,
            by=by,
            action=AuditAction.CHANGE,
            detail=f"repeated weekly: {len(sessions)} sessions added",
        )
    return sessions


def _weeks_later(moment: datetime, weeks: int) -> datetime:
    """The same wall-clock time `weeks` later in local time (18:00 stays 18:00
    when British Summer Time starts or ends in between)."""
    local = timezone.localtime(moment)
    later = local.replace(tzinfo=None) + timedelta(weeks=weeks)
    return timezone.make_aware(later, local.tzinfo)


def _schedule_event_emails(event: Event) -> None:
    # Heard by events.tasks, which queues the reminders and feedback requests.
    signals.event_scheduled.send(sender=Event, event=event)


# ---------------------------------------------------------------- questions


def add_question(
    *,
    event: Event,
    model: type[RegistrationQuestion] | type[FeedbackQuestion],
    most: int,
    by: User | None = None,
    **fields: Any,
) -> Model:
    """Add a registration or feedback question at the end, refusing more than
    `most` for the event."""
    with transaction.atomic():
        _lock_event(event.pk)
        existing = model.objects.filter(event=event)
        if existing.count() >= most:
            raise Conflict(f"You can ask up to {most} questions. Remove one to add another")
        last = existing.aggregate(last=Max("position"))["last"]
        question = model.objects.create(event=event, position=(last or 0) + 1, **fields)
        _log_event(
            event, by=by, action=AuditAction.CHANGE, detail=_question_detail("added", question)
        )
    return question


def remove_question(
    *, question: RegistrationQuestion | FeedbackQuestion, by: User | None = None
) -> None:
    with transaction.atomic():
        question.delete()
        _log_event(
            question.event,
            by=by,
            action=AuditAction.CHANGE,
            detail=_question_detail("removed", question),
        )


def _question_detail(what: str, question: RegistrationQuestion | FeedbackQuestion) -> str:
    kind = "feedback" if isinstance(question, FeedbackQuestion) else "registration"
    return f"{kind} question {what}: {question.text}"


# ---------------------------------------------------------------- on the day


def _refuse_check_in_before_the_day(event: Event, *, early: bool, now: datetime) -> bool:
    """Check-in opens on the day; the person running it may open it earlier
    on purpose (`early`, for a session that starts just after midnight or a
    rehearsal). True when this is such an early check-in."""
    if event.check_in_is_open(now):
        return False
    if event.starts_at is None:
        raise Conflict("This event has no date yet")
    if not early:
        day = date_format(timezone.localtime(event.starts_at), "l j F Y")
        raise Conflict(f"Check-in opens on {day}, the day of the event")
    return True


def check_in(
    *,
    booking: Booking,
    by: User | None = None,
    early: bool = False,
    now: datetime | None = None,
) -> Booking:
    if booking.status != BookingStatus.CONFIRMED:
        raise Conflict("Only people with a confirmed place can be checked in")
    now = now or timezone.now()
    before_the_day = _refuse_check_in_before_the_day(booking.event, early=early, now=now)
    with transaction.atomic():
        # Only the first check-in counts (and is recorded): a second tap changes nothing.
        if Booking.objects.filter(pk=booking.pk, checked_in_at__isnull=True).update(
            checked_in_at=now
        ):
            detail = "checked in before the day" if before_the_day else "checked in"
            _log_booking(booking, by=by, action=AuditAction.CHANGE, detail=detail)
    booking.refresh_from_db(fields=["checked_in_at"])
    return booking


def undo_check_in(*, booking: Booking, by: User | None = None) -> Booking:
    with transaction.atomic():
        if Booking.objects.filter(pk=booking.pk, checked_in_at__isnull=False).update(
            checked_in_at=None
        ):
            _log_booking(booking, by=by, action=AuditAction.CHANGE, detail="check-in undone")
    booking.refresh_from_db(fields=["checked_in_at"])
    return booking


def record_walk_in(
    *,
    event: Event,
    name: str,
    email: str = "",
    places: int = 1,
    by: User | None = None,
    idempotency_key: str | None = None,
    early: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Someone turned up without booking: they are in the room, so they count.
    The same `idempotency_key` again (a double click) finds the same walk-in."""
    now = now or timezone.now()
    name = visible_text(name)
    if not name:
        raise Invalid("Enter the person's name", field="name")
    email = email_address(email) if email.strip() else ""
    with transaction.atomic():
        event = _lock_event(event.pk)
        if idempotency_key:
            already = Booking.objects.filter(event=event, idempotency_key=idempotency_key).first()
            if already is not None:
                return already
        if event.status != EventStatus.PUBLISHED:
            raise Conflict(f"This event is {event.get_status_display().lower()}")
        _refuse_check_in_before_the_day(event, early=early, now=now)
        if (
            email
            and Booking.objects.filter(
                event=event, email=email, status__in=ACTIVE_STATUSES
            ).exists()
        ):
            raise Conflict(
                "Someone with that email address is already booked: check them in", field="email"
            )
        walk_in = Booking.objects.create(
            event=event,
            name=name,
            email=email,
            places=places,
            status=BookingStatus.CONFIRMED,
            is_walk_in=True,
            idempotency_key=idempotency_key,
            queue_position=_next_queue_position(event),
            confirmed_at=now,
            checked_in_at=now,
            created_at=now,
        )
        _log_booking(walk_in, by=by, action=AuditAction.CREATE, detail="walk-in, checked in")
    return walk_in


# ---------------------------------------------------------------- personal data


def remove_personal_details_from_bookings(
    *, booking_ids: list[int], by: User | None = None
) -> list[str]:
    """Blank the name, email and answers of bookings (another app's, found by
    its own links to them, or a person's found by subject access); returns
    their references."""
    with transaction.atomic():
        bookings = list(Booking.objects.filter(pk__in=booking_ids))
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
            name="Removed", email="", answers={}
        )
        for booking in bookings:
            _log_booking(
                booking, by=by, action=AuditAction.ANONYMISE, detail="personal details removed"
            )
    return [booking.reference for booking in bookings]


# ---------------------------------------------------------------- afterwards


def submit_feedback(*, booking: Booking, answers: dict[str, Any]) -> FeedbackResponse:
    """The person who came says how it went, through their private link.
    Not in the audit log: an entry would tie the answers to their booking."""
    if booking.checked_in_at is None:
        raise Conflict("Only people who came to the event can give feedback")
    response, _ = FeedbackResponse.objects.update_or_create(
        booking=booking, defaults={"answers": answers, "submitted_at": timezone.now()}
    )
    return response


def record_bookings_exported(*, bookings: list[Booking], by: User | None) -> None:
    """A subject access export includes these bookings: each is audited."""
    for booking in bookings:
        _log_booking(booking, by=by, action=AuditAction.EXPORT, detail="subject access export")
