"""Demo events for `fingerpost demo`: a full networking event with a waiting
list, a weekly code club at a library, a drop-in, a past event with
check-ins and feedback, and a draft. --scale N adds N times as many
generated events, each with bookings (bulk-created, so it stays fast).

Each event is found again by its title, so running the step twice creates
nothing new. Dates are relative to the day the demo is created.

No email ever goes to a demo address: while the step runs, the booking
service's emails are switched off, and afterwards the reminder and
feedback emails for every demo booking are recorded as already sent, so
neither `fingerpost sweep` nor the worker sends them later.
"""

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.core.models import MessageStatus, OutboxMessage
from fingerpost.organisations.models import Organisation
from fingerpost.organisations.queries import plain_members

from . import notifications, services
from .models import (
    Audience,
    Booking,
    BookingStatus,
    Event,
    EventKind,
    EventSeries,
    EventStatus,
    FeedbackQuestion,
    FeedbackQuestionKind,
    FeedbackResponse,
    NotificationKind,
    QuestionKind,
    RegistrationQuestion,
)

ORGANISER_EMAIL = "organiser@example.org"
NETWORKING_TITLE = "Partnership networking: sharing what works"
CODE_CLUB_TITLE = "Code club at Dorchester Library"
DROP_IN_TITLE = "Digital help drop-in at Weymouth Library"
PAST_TITLE = "Partnership networking: digital inclusion in rural Dorset"
DRAFT_TITLE = "Open data workshop"
SCALED_TITLE = "Show and tell {n}: {topic}"
SCALED_TITLE_PREFIX = "Show and tell "

NETWORKING_CAPACITY = 40
NETWORKING_WAITING = 5
CODE_CLUB_WEEKS = 6
ACCESS_NEEDS_QUESTION = "Does anyone in your group have access needs?"
USEFUL_QUESTION = "How useful was the event?"
NEXT_TIME_QUESTION = "What should we do next time?"
# Per unit of --scale: three generated events still to come, two that have happened.
SCALED_EVENTS_PER_SCALE = 5
SCALED_UPCOMING_IN_EACH_5 = 3

FIRST_NAMES = ["Amira", "Ben", "Carys", "Dev", "Elena", "Finn", "Grace", "Hamza", "Isla", "Jack"]
LAST_NAMES = [
    "Ahmed",
    "Barnes",
    "Clarke",
    "Dobson",
    "Evans",
    "Fox",
    "Gill",
    "Hughes",
    "Ito",
    "Jones",
]
TOPICS = [
    "accessible forms",
    "cloud hosting",
    "user research with residents",
    "open data",
    "cyber security basics",
    "assisted digital",
    "content design",
]
NEXT_TIME = [
    "More time for questions",
    "A session on AI tools",
    "Hold it somewhere in the north of the county",
    "Shorter talks, more networking",
    "",
]


def create_demo_data(*, scale: int) -> dict[str, int]:
    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    if organiser is not None:
        now = timezone.now()
        with _booking_emails_switched_off():
            created = [
                *_networking_event(organiser, now),
                *_code_club(organiser, now),
                *_drop_in(organiser, now),
                *_past_networking_event(organiser, now),
                *_draft(organiser, now),
                *_scaled_events(organiser, now, scale),
            ]
        _record_later_emails_as_sent(created)
    return {"events": Event.objects.count(), "bookings": Booking.objects.count()}


@contextmanager
def _booking_emails_switched_off() -> Iterator[None]:
    """The services queue an email for each booking; demo addresses must get none."""
    original = notifications.notify

    def send_nothing(
        booking: Booking, kind: str, *, discriminator: str = "", first: bool = False
    ) -> bool:
        return False

    notifications.notify = send_nothing
    try:
        yield
    finally:
        notifications.notify = original


def _record_later_emails_as_sent(events: list[Event]) -> None:
    """Reminders and feedback requests are sent when due by the sweep; an
    outbox message already there under the same once-only key (recorded as
    skipped) is what makes it leave demo addresses alone."""
    if not events:
        return
    bookings = (
        Booking.objects.filter(event__in=events)
        .exclude(email="")
        .values_list("pk", "reference", "event__starts_at")
    )
    rows = []
    for pk, reference, starts_at in bookings:
        # Reminders are keyed by the start time they remind of (see notifications).
        reminder = starts_at.isoformat() if starts_at else ""
        for kind, discriminator in (
            (NotificationKind.REMINDER, reminder),
            (NotificationKind.FEEDBACK, ""),
        ):
            rows.append(
                OutboxMessage(
                    kind=f"events.{kind.value}",
                    once_key=notifications.once_key(pk, kind, discriminator),
                    about_type="booking",
                    about_reference=reference,
                    subject="Not sent: demo data",
                    reference=uuid.uuid4().hex,
                    status=MessageStatus.SKIPPED,
                )
            )
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


# ---------------------------------------------------------------- helpers


def _at(now: datetime, *, days: int, hour: int, minute: int = 0) -> datetime:
    local = timezone.localtime(now) + timedelta(days=days)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _organisation(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def _exists(title: str, organiser: User) -> bool:
    return Event.objects.filter(title=title, organiser=organiser).exists()


def _generated_person(n: int) -> tuple[str, str]:
    first = FIRST_NAMES[n % len(FIRST_NAMES)]
    last = LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return f"{first} {last}", f"{first}.{last}{n}@example.org".lower()


def _people(count: int) -> list[tuple[str, str, str]]:
    """(name, email, organisation): demo members first, then generated people."""
    members = plain_members().prefetch_related("memberships__organisation").order_by("pk")[:count]
    people = [
        (
            member.full_name,
            member.email,
            next((m.organisation.name for m in member.memberships.all()), ""),
        )
        for member in members
    ]
    n = 0
    while len(people) < count:
        name, email = _generated_person(n)
        people.append((name, email, "Dorset Council"))
        n += 1
    return people


def _event(organiser: User, **fields: object) -> Event:
    defaults: dict[str, object] = {
        "organiser": organiser,
        "contact_email": organiser.email,
        "status": EventStatus.PUBLISHED,
    }
    return Event.objects.create(**{**defaults, **fields})


# ---------------------------------------------------------------- the showcase


def _networking_event(organiser: User, now: datetime) -> list[Event]:
    if _exists(NETWORKING_TITLE, organiser):
        return []
    starts_at = _at(now, days=14, hour=10)
    event = _event(
        organiser,
        title=NETWORKING_TITLE,
        summary="Meet colleagues from councils, the NHS and the voluntary sector.",
        description="Short talks on what has worked in digital inclusion, then coffee.",
        kind=EventKind.NETWORKING,
        audience=Audience.STAFF,
        venue_name="County Hall",
        venue_address="Colliton Park\nDorchester\nDT1 1XJ",
        venue_accessibility="Step-free access, accessible toilets and a hearing loop.",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2, minutes=30),
        capacity=NETWORKING_CAPACITY,
        organisation=_organisation("dorset-council"),
    )
    # Through the booking service, so the places and waiting list follow the rules.
    booked_from = now - timedelta(days=10)
    people = _people(NETWORKING_CAPACITY + NETWORKING_WAITING)
    for n, (name, email, organisation_name) in enumerate(people):
        services.book_places(
            event_id=event.pk,
            name=name,
            email=email,
            organisation_name=organisation_name,
            now=booked_from + timedelta(hours=4 * n),
            by=organiser,
        )
    return [event]


def _code_club(organiser: User, now: datetime) -> list[Event]:
    if _exists(CODE_CLUB_TITLE, organiser):
        return []
    series = EventSeries.objects.create(title=CODE_CLUB_TITLE)
    library = _organisation("dorchester-library")
    first_start = _at(now, days=3, hour=10)
    sessions = []
    for week in range(CODE_CLUB_WEEKS):
        starts_at = first_start + timedelta(weeks=week)
        session = _event(
            organiser,
            title=CODE_CLUB_TITLE,
            summary="Scratch and micro:bit projects for children aged 8 to 13 and their adults.",
            description="Laptops provided. Children must be accompanied by an adult.",
            kind=EventKind.CODE_CLUB,
            audience=Audience.PUBLIC,
            venue_name="Dorchester Library",
            venue_address="Charles Street\nDorchester\nDT1 1EE",
            venue_accessibility="Step-free entrance from Charles Street; lift to all floors.",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            capacity=12,
            max_places_per_booking=4,
            organisation=library,
            series=series,
        )
        RegistrationQuestion.objects.create(
            event=session, text=ACCESS_NEEDS_QUESTION, kind=QuestionKind.YES_NO, required=True
        )
        sessions.append(session)
    question = sessions[0].questions.get()
    families = [(3, "no"), (2, "yes"), (4, "no"), (2, "no")]
    for n, (places, access_needs) in enumerate(families):
        name, email = _generated_person(100 + n)
        services.book_places(
            event_id=sessions[0].pk,
            name=name,
            email=email,
            places=places,
            answers={str(question.pk): access_needs},
            now=now - timedelta(days=2, hours=-n),
        )
    return sessions


def _drop_in(organiser: User, now: datetime) -> list[Event]:
    if _exists(DROP_IN_TITLE, organiser):
        return []
    starts_at = _at(now, days=5, hour=14)
    event = _event(
        organiser,
        title=DROP_IN_TITLE,
        summary="Bring your phone, tablet or laptop: help with email, video calls and forms.",
        kind=EventKind.DROP_IN,
        audience=Audience.PUBLIC,
        venue_name="Weymouth Library",
        venue_address="Great George Street\nWeymouth\nDT4 8NN",
        venue_accessibility="Ground floor, step-free.",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        capacity=20,
        max_places_per_booking=2,
        organisation=_organisation("weymouth-library"),
    )
    for n in range(6):
        name, email = _generated_person(200 + n)
        services.book_places(
            event_id=event.pk, name=name, email=email, now=now - timedelta(hours=30 - n)
        )
    return [event]


def _past_networking_event(organiser: User, now: datetime) -> list[Event]:
    if _exists(PAST_TITLE, organiser):
        return []
    starts_at = _at(now, days=-7, hour=13)
    ends_at = starts_at + timedelta(hours=2)
    event = _event(
        organiser,
        title=PAST_TITLE,
        summary="How partners reach people without internet at home in rural areas.",
        kind=EventKind.NETWORKING,
        audience=Audience.STAFF,
        venue_name="Shaftesbury Town Hall",
        venue_address="High Street\nShaftesbury\nSP7 8LY",
        venue_accessibility="Step-free access by the side entrance.",
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=30,
        organisation=_organisation("dorset-council"),
    )
    useful = FeedbackQuestion.objects.create(
        event=event, text=USEFUL_QUESTION, kind=FeedbackQuestionKind.RATING, position=1
    )
    next_time = FeedbackQuestion.objects.create(
        event=event, text=NEXT_TIME_QUESTION, kind=FeedbackQuestionKind.TEXT, position=2
    )
    # Booking has closed, so these are written directly, as they stood on the day.
    booked_at = starts_at - timedelta(days=21)
    Booking.objects.bulk_create(
        [
            Booking(
                event=event,
                name=name,
                email=email,
                organisation_name=organisation_name,
                status=BookingStatus.CONFIRMED,
                queue_position=n + 1,
                created_at=booked_at + timedelta(hours=5 * n),
                confirmed_at=booked_at + timedelta(hours=5 * n),
                # Every fifth person did not come.
                checked_in_at=None if n % 5 == 4 else starts_at + timedelta(minutes=n % 15),
            )
            for n, (name, email, organisation_name) in enumerate(_people(24))
        ]
    )
    came = list(Booking.objects.filter(event=event, checked_in_at__isnull=False))
    FeedbackResponse.objects.bulk_create(
        [
            FeedbackResponse(
                booking=booking,
                answers=_feedback_answers(n, useful=useful, next_time=next_time),
                submitted_at=ends_at + timedelta(hours=3 + n),
            )
            for n, booking in enumerate(came[:12])
        ]
    )
    return [event]


def _feedback_answers(
    n: int, *, useful: FeedbackQuestion, next_time: FeedbackQuestion
) -> dict[str, object]:
    answers: dict[str, object] = {str(useful.pk): [5, 4, 4, 3, 5, 2][n % 6]}
    if NEXT_TIME[n % len(NEXT_TIME)]:
        answers[str(next_time.pk)] = NEXT_TIME[n % len(NEXT_TIME)]
    return answers


def _draft(organiser: User, now: datetime) -> list[Event]:
    if _exists(DRAFT_TITLE, organiser):
        return []
    starts_at = _at(now, days=35, hour=9, minute=30)
    return [
        _event(
            organiser,
            title=DRAFT_TITLE,
            summary="Publishing council data people can reuse. Details to follow.",
            kind=EventKind.TRAINING,
            audience=Audience.STAFF,
            status=EventStatus.DRAFT,
            venue_name="County Hall",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            capacity=25,
            organisation=_organisation("dorset-council"),
        )
    ]


# ---------------------------------------------------------------- --scale


def scaled_title(n: int) -> str:
    return SCALED_TITLE.format(n=n, topic=TOPICS[n % len(TOPICS)])


def _scaled_events(organiser: User, now: datetime, scale: int) -> list[Event]:
    wanted = {scaled_title(n): n for n in range(1, SCALED_EVENTS_PER_SCALE * scale + 1)}
    have = set(
        Event.objects.filter(
            organiser=organiser, title__startswith=SCALED_TITLE_PREFIX
        ).values_list("title", flat=True)
    )
    missing = {title: n for title, n in wanted.items() if title not in have}
    if not missing:
        return []
    venues = ["County Hall", "Bridport Library", "Blandford Library", "Online"]
    events = []
    for title, n in missing.items():
        upcoming = n % SCALED_EVENTS_PER_SCALE < SCALED_UPCOMING_IN_EACH_5
        starts_at = _at(now, days=(2 + n % 90) if upcoming else -(1 + n % 120), hour=9 + n % 6)
        venue = venues[n % len(venues)]
        events.append(
            Event(
                title=title,
                summary=f"Partners show what they have learned about {TOPICS[n % len(TOPICS)]}.",
                kind=EventKind.TRAINING if n % 2 else EventKind.NETWORKING,
                audience=Audience.STAFF,
                status=EventStatus.PUBLISHED,
                venue_name="" if venue == "Online" else venue,
                online_link="https://meet.example.org/show-and-tell" if venue == "Online" else "",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1, minutes=30),
                capacity=10 + 10 * (n % 3),
                organiser=organiser,
                contact_email=organiser.email,
            )
        )
    Event.objects.bulk_create(events, batch_size=500)
    created = list(Event.objects.filter(organiser=organiser, title__in=list(missing)))
    Booking.objects.bulk_create(
        [
            booking
            for event in created
            for booking in _scaled_bookings(event, missing[event.title], now)
        ],
        batch_size=1000,
    )
    return created


def _scaled_bookings(event: Event, n: int, now: datetime) -> list[Booking]:
    """Consistent with the rules: confirmed places up to capacity, then waiting in order."""
    assert event.starts_at is not None
    rng = random.Random(n)  # noqa: S311 - demo data, not security
    upcoming = event.starts_at > now
    # One event in three is oversubscribed, the rest are half to nearly full.
    wanted = event.capacity + 3 if n % 3 == 0 else rng.randint(event.capacity // 2, event.capacity)
    booked_from = min(now, event.starts_at) - timedelta(days=20)
    bookings = []
    for i in range(wanted):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        confirmed = i < event.capacity
        created_at = booked_from + timedelta(hours=3 * i)
        if not upcoming and not confirmed:
            continue  # a waiting list is of no use once the event is over
        bookings.append(
            Booking(
                event=event,
                name=name,
                email=f"guest{n}-{i}@example.org",
                organisation_name="Dorset Council",
                status=BookingStatus.CONFIRMED if confirmed else BookingStatus.WAITING,
                queue_position=i + 1,
                created_at=created_at,
                confirmed_at=created_at if confirmed else None,
                checked_in_at=(
                    event.starts_at + timedelta(minutes=i % 20)
                    if not upcoming and rng.random() < 0.8
                    else None
                ),
            )
        )
    return bookings
