"""Every named read about events, shared by the pages, the API, the services
and other apps. Public reads first; then the organisers' back office, where
each list and summary takes a fixed number of queries however many bookings
an event has."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Lower, RowNumber
from django.utils import timezone

from fingerpost.accounts.roles import Role, roles_of
from fingerpost.organisations.queries import organisations_where

from .answers import format_answer
from .models import (
    ACTIVE_STATUSES,
    HOLDING_STATUSES,
    RATINGS,
    Audience,
    Booking,
    BookingStatus,
    Event,
    EventStatus,
    FeedbackQuestion,
    FeedbackQuestionKind,
    FeedbackResponse,
    RegistrationQuestion,
)

CHECK_IN_RESULTS_LIMIT = 100
# Calendar subscribers keep recent events in view for a while after they happen.
FEED_KEEPS_ENDED_EVENTS_FOR = timedelta(days=30)
RATING_SCALE = (1, 2, 3, 4, 5)
RATING_LABELS = dict(RATINGS)


# ---------------------------------------------------------------- places


def places_taken(event: Event) -> int:
    """Places held by confirmed bookings and open offers."""
    taken = Booking.objects.filter(event=event, status__in=HOLDING_STATUSES).aggregate(
        total=Sum("places")
    )["total"]
    return int(taken or 0)


def places_left(event: Event) -> int:
    return max(event.capacity - places_taken(event), 0)


def waiting_position(booking: Booking) -> int | None:
    """1 for the first person waiting; None when not waiting."""
    if booking.status != BookingStatus.WAITING or booking.queue_position is None:
        return None
    ahead = Booking.objects.filter(
        event_id=booking.event_id,
        status=BookingStatus.WAITING,
        queue_position__lt=booking.queue_position,
    ).count()
    return ahead + 1


def can_still_cancel(booking: Booking, *, event: Event, now: datetime | None = None) -> bool:
    """Until the event starts (and nobody who came can un-come)."""
    now = now or timezone.now()
    started = event.starts_at is not None and event.starts_at <= now
    return booking.status in ACTIVE_STATUSES and not started and booking.checked_in_at is None


# ---------------------------------------------------------------- public


def with_place_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate places_taken, places_left and waiting_count in the same query (no N+1)."""
    return events.annotate(
        places_taken=Coalesce(
            Sum("bookings__places", filter=Q(bookings__status__in=HOLDING_STATUSES)),
            Value(0),
            output_field=IntegerField(),
        ),
        waiting_count=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
    ).annotate(places_left=Greatest(F("capacity") - F("places_taken"), Value(0)))


def upcoming_public_events(
    *, kind: str | None = None, audience: str | None = None, now: datetime | None = None
) -> QuerySet[Event]:
    now = now or timezone.now()
    events = Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gt=now)
    if kind:
        events = events.filter(kind=kind)
    if audience:
        events = events.filter(audience=audience)
    return with_place_counts(events.select_related("organisation")).order_by("starts_at", "pk")


def sessions_bookable_for_residents(*, now: datetime | None = None) -> QuerySet[Event]:
    """Resident sessions a coordinator can book someone onto: open for booking now."""
    now = now or timezone.now()
    events = Event.objects.filter(
        Q(booking_opens_at__isnull=True) | Q(booking_opens_at__lte=now),
        Q(booking_closes_at__isnull=True) | Q(booking_closes_at__gt=now),
        status=EventStatus.PUBLISHED,
        audience=Audience.PUBLIC,
        starts_at__gt=now,
    )
    return with_place_counts(events).order_by("starts_at", "pk")


def events_with_a_public_page() -> QuerySet[Event]:
    """Published events, and cancelled ones (so links in emails and calendars
    still work, and say it is off)."""
    return Event.objects.exclude(status=EventStatus.DRAFT)


def public_event(pk: int) -> Event:
    """A published or cancelled event with its counts (places_taken,
    places_left, waiting_count), read fresh: one query, written out once (see
    _PublicEventSql) because building the grouped ORM query cost more than
    running it, on the page that the most people load."""
    if not 0 < pk < 2**63:  # the raw query would overflow the database's integer
        raise Event.DoesNotExist(f"No public event {pk}")
    sql = _PublicEventSql.get()
    found = sql.events_from(
        f"{sql.select} WHERE e.{sql.pk} = %s AND e.{sql.status} <> %s",
        [*sql.count_params, pk, EventStatus.DRAFT],
    )
    if not found:
        raise Event.DoesNotExist(f"No public event {pk}")
    return found[0]


def lock_event(pk: int) -> Event:
    """The event's row, locked until the end of the transaction (on
    PostgreSQL; SQLite's immediate transactions lock the whole database), in
    hand-written SQL: every booking of an event queues for this lock, so the
    ORM's compiling is kept out of the time it is held."""
    sql = _PublicEventSql.get()
    found = sql.events_from(sql.locked, [pk], counted=False)
    if not found:
        raise Event.DoesNotExist(f"No event {pk}")
    return found[0]


@dataclass(frozen=True)
class PlacesState:
    """What a booking needs to know about its event once the event is locked."""

    taken: int
    last_in_queue: int
    waiting: int
    existing_pk: int | None


@cache
def _places_state_sql() -> str:
    """Built once per process: names from the model, values as parameters."""
    q = connection.ops.quote_name
    column = {f.name: q(str(f.column)) for f in Booking._meta.concrete_fields}
    holding = ", ".join(["%s"] * len(HOLDING_STATUSES))
    active = ", ".join(["%s"] * len(ACTIVE_STATUSES))
    return (
        f"SELECT COALESCE(SUM(CASE WHEN {column['status']} IN ({holding})"  # noqa: S608 - names from the model
        f" THEN {column['places']} END), 0),"
        f" COALESCE(MAX({column['queue_position']}), 0),"
        f" COUNT(CASE WHEN {column['status']} = %s THEN 1 END),"
        f" MAX(CASE WHEN {column['idempotency_key']} = %s THEN {column['id']} END),"
        f" MAX(CASE WHEN {column['email']} = %s AND {column['status']} IN ({active})"
        f" THEN {column['id']} END)"
        f" FROM {q(Booking._meta.db_table)} WHERE {column['event']} = %s"
    )


def places_state(event_id: int, *, idempotency_key: str | None, email: str) -> PlacesState:
    """One read, made after the event's lock is taken: the places held, the
    end of the queue, how many are waiting, and a booking this person already
    holds (by the key of the attempt, else by an active booking for the
    address). Hand-written like lock_event, for the same reason."""
    params: list[Any] = [
        *(str(s) for s in HOLDING_STATUSES),
        str(BookingStatus.WAITING),
        # An absent key or address matches nothing (a NULL never equals).
        idempotency_key or None,
        email or None,
        *(str(s) for s in ACTIVE_STATUSES),
        event_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_places_state_sql(), params)
        taken, last, waiting, by_key, by_email = cursor.fetchone()
    existing = by_key or by_email
    return PlacesState(
        taken=int(taken),
        last_in_queue=int(last),
        waiting=int(waiting),
        existing_pk=int(existing) if existing is not None else None,
    )


class PublicEventList:
    """The upcoming published events, in order, each with its counts, for a
    Paginator: `count()` is one query and each page one more. The same rows
    as upcoming_public_events(), in hand-written SQL for the reason given at
    public_event()."""

    def __init__(self, *, kind: str | None, audience: str | None, now: datetime) -> None:
        sql = _PublicEventSql.get()
        where = [f"e.{sql.status} = %s", f"e.{sql.ends_at} > %s"]
        params: list[Any] = [EventStatus.PUBLISHED, now]
        if kind:
            where.append(f"e.{sql.kind} = %s")
            params.append(kind)
        if audience:
            where.append(f"e.{sql.audience} = %s")
            params.append(audience)
        self._where = " AND ".join(where)
        self._params = params
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            sql = _PublicEventSql.get()
            with connection.cursor() as cursor:
                # Names come from the models, values go as parameters.
                count = f"SELECT COUNT(*) FROM {sql.events} e WHERE {self._where}"  # noqa: S608
                cursor.execute(count, self._params)
                self._count = int(cursor.fetchone()[0])
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Event]:
        sql = _PublicEventSql.get()
        start = window.start or 0
        stop = window.stop if window.stop is not None else start + 1000
        return sql.events_from(
            f"{sql.select} WHERE {self._where} ORDER BY e.{sql.starts_at} ASC, e.{sql.pk} ASC"
            " LIMIT %s OFFSET %s",
            [*sql.count_params, *self._params, max(stop - start, 0), start],
        )


@dataclass(frozen=True)
class _PublicEventSql:
    """The SQL of the public reads, with names taken from the models, so it
    counts exactly what with_place_counts() counts. Rows become events the
    way the ORM makes them (Model.from_db, the database's converters), with
    none of a query's compiling."""

    select: str
    locked: str
    count_params: tuple[str, ...]
    attnames: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]
    events: str
    pk: str
    status: str
    kind: str
    audience: str
    starts_at: str
    ends_at: str

    def events_from(self, query: str, params: list[Any], *, counted: bool = True) -> list[Event]:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            rows = cursor.fetchall()
        width = len(self.attnames)
        found = []
        for row in rows:
            values = list(row[:width])
            for index, functions, expression in self.converters:
                for convert in functions:
                    values[index] = convert(values[index], expression, connection)
            event = Event.from_db(connection.alias, self.attnames, values)
            if counted:
                taken, waiting = int(row[width]), int(row[width + 1])
                event.places_taken = taken  # type: ignore[attr-defined]
                event.waiting_count = waiting  # type: ignore[attr-defined]
                event.places_left = max(event.capacity - taken, 0)  # type: ignore[attr-defined]
                event.question_count = int(row[width + 2])  # type: ignore[attr-defined]
            found.append(event)
        return found

    @classmethod
    @cache
    def get(cls) -> "_PublicEventSql":
        q = connection.ops.quote_name
        fields = Event._meta.concrete_fields
        event = {f.name: q(str(f.column)) for f in fields}
        booking = {f.name: q(str(f.column)) for f in Booking._meta.concrete_fields}
        bookings = q(Booking._meta.db_table)
        events = q(Event._meta.db_table)
        questions = q(RegistrationQuestion._meta.db_table)
        question_event = q(str(RegistrationQuestion._meta.get_field("event").column))
        holding = ", ".join(["%s"] * len(HOLDING_STATUSES))
        where = f"b.{booking['event']} = e.{event['id']}"
        columns = ", ".join(f"e.{q(str(f.column))}" for f in fields)
        select = (
            f"SELECT {columns},"  # noqa: S608 - names from the models; values are parameters
            f" COALESCE((SELECT SUM(b.{booking['places']}) FROM {bookings} b"
            f" WHERE {where} AND b.{booking['status']} IN ({holding})), 0) AS places_taken,"
            f" (SELECT COUNT(*) FROM {bookings} b"
            f" WHERE {where} AND b.{booking['status']} = %s) AS waiting_count,"
            f" (SELECT COUNT(*) FROM {questions} rq"
            f" WHERE rq.{question_event} = e.{event['id']}) AS question_count"
            f" FROM {events} e"
        )
        for_update = " FOR UPDATE" if connection.features.has_select_for_update else ""
        locked = f"SELECT {columns} FROM {events} e WHERE e.{event['id']} = %s{for_update}"  # noqa: S608
        converters = []
        for index, model_field in enumerate(fields):
            column = model_field.get_col(Event._meta.db_table)
            functions = (
                *connection.ops.get_db_converters(column),
                *model_field.get_db_converters(connection),
            )
            if functions:
                converters.append((index, tuple(functions), column))
        return cls(
            select=select,
            locked=locked,
            count_params=(*(str(s) for s in HOLDING_STATUSES), str(BookingStatus.WAITING)),
            attnames=tuple(f.attname for f in fields),
            converters=tuple(converters),
            events=events,
            pk=event["id"],
            status=event["status"],
            kind=event["kind"],
            audience=event["audience"],
            starts_at=event["starts_at"],
            ends_at=event["ends_at"],
        )


def calendar_feed_events(*, now: datetime | None = None) -> QuerySet[Event]:
    """Published events that have not ended, and those that ended in the last
    30 days; cancelled ones stay in, marked cancelled, so subscribed calendars
    take them out."""
    since = (now or timezone.now()) - FEED_KEEPS_ENDED_EVENTS_FOR
    shown = [EventStatus.PUBLISHED, EventStatus.CANCELLED]
    return Event.objects.filter(status__in=shown, ends_at__gt=since).order_by("starts_at", "pk")


def events_managed_by(user: Any) -> QuerySet[Event]:
    """The events someone may run: admins all; organisers their organisations'
    events (branches included) and the ones they organise; coordinators the
    sessions for residents (code clubs, drop-ins) of their organisations."""
    roles = roles_of(user)
    events = Event.objects.select_related("organiser", "organisation")
    if not roles.is_admin:
        if not (roles.holds(Role.ORGANISER) or roles.holds(Role.COORDINATOR)):
            return Event.objects.none()
        scope = Q(organiser=user) | Q(organisation__in=organisations_where(user, Role.ORGANISER))
        if roles.holds(Role.COORDINATOR):
            scope |= Q(
                organisation__in=organisations_where(user, Role.COORDINATOR),
                audience=Audience.PUBLIC,
            )
        events = events.filter(scope)
    return with_place_counts(events)


def booking_by_token(token: str) -> QuerySet[Booking]:
    return Booking.objects.select_related("event").filter(token=token)


def bookings_with_ids(ids: list[int]) -> QuerySet[Booking]:
    """Bookings another app keeps its own links to (the help desk's places)."""
    return Booking.objects.filter(pk__in=ids).select_related("event").order_by("created_at", "pk")


def booking_by_reference(reference: str) -> QuerySet[Booking]:
    return Booking.objects.select_related("event").filter(reference=reference)


def booking_with_key(event: Event, idempotency_key: str) -> Booking | None:
    """The booking a submission with this key already made, if any."""
    if not idempotency_key:
        return None
    return Booking.objects.filter(event=event, idempotency_key=idempotency_key).first()


# ---------------------------------------------------------------- back office


def managed_event_list(user: object, *, now: datetime | None = None) -> QuerySet[Event]:
    """Every event the user manages: upcoming (and undated drafts) first, soonest
    first; then past events, most recent first."""
    now = now or timezone.now()
    return (
        events_managed_by(user)
        .annotate(
            is_past=Case(When(ends_at__lte=now, then=Value(1)), default=Value(0)),
            upcoming_order=Case(
                When(ends_at__lte=now, then=Value(None)),
                default=F("starts_at"),
                output_field=DateTimeField(),
            ),
            past_order=Case(
                When(ends_at__lte=now, then=F("starts_at")),
                default=Value(None),
                output_field=DateTimeField(),
            ),
        )
        .order_by(
            "is_past",
            F("upcoming_order").asc(nulls_first=True),
            F("past_order").desc(nulls_last=True),
            "pk",
        )
    )


@dataclass(frozen=True)
class BookingCounts:
    """How an event is going. Places count people; bookings count groups."""

    booked_places: int
    booked_bookings: int
    waiting_places: int
    waiting_bookings: int
    offered_bookings: int
    checked_in_places: int
    checked_in_bookings: int
    walk_in_places: int

    @property
    def not_checked_in_places(self) -> int:
        return self.booked_places - self.checked_in_places


def booking_counts(event: Event) -> BookingCounts:
    """All the counts in one query."""
    confirmed = Q(status=BookingStatus.CONFIRMED)
    checked_in = confirmed & Q(checked_in_at__isnull=False)
    waiting = Q(status=BookingStatus.WAITING)

    def places(condition: Q) -> Coalesce:
        return Coalesce(Sum("places", filter=condition), Value(0), output_field=IntegerField())

    totals = Booking.objects.filter(event=event).aggregate(
        booked_places=places(confirmed),
        booked_bookings=Count("pk", filter=confirmed),
        waiting_places=places(waiting),
        waiting_bookings=Count("pk", filter=waiting),
        offered_bookings=Count("pk", filter=Q(status=BookingStatus.OFFERED)),
        checked_in_places=places(checked_in),
        checked_in_bookings=Count("pk", filter=checked_in),
        walk_in_places=places(confirmed & Q(is_walk_in=True)),
    )
    return BookingCounts(**{key: int(value or 0) for key, value in totals.items()})


def registration_questions(event: Event) -> list[RegistrationQuestion]:
    if getattr(event, "question_count", None) == 0:
        # Counted in the same read as the event (public_event): none to fetch.
        return []
    return list(RegistrationQuestion.objects.filter(event=event).order_by("position", "pk"))


def feedback_questions(event: Event) -> list[FeedbackQuestion]:
    return list(FeedbackQuestion.objects.filter(event=event).order_by("position", "pk"))


@dataclass(frozen=True)
class Attendee:
    booking: Booking
    answers: list[str]


@dataclass(frozen=True)
class AttendeeList:
    questions: list[RegistrationQuestion]
    attendees: list[Attendee]


def confirmed_bookings(event: Event) -> QuerySet[Booking]:
    """Everyone with a place, by name."""
    return Booking.objects.filter(event=event, status=BookingStatus.CONFIRMED).order_by(
        Lower("name"), "pk"
    )


def attendee_list(event: Event) -> AttendeeList:
    """Confirmed bookings with their answers in question order: the printable
    list and the spreadsheet exports are both built from this."""
    questions = registration_questions(event)
    attendees = [
        Attendee(
            booking=booking,
            answers=[format_answer(q, booking.answers.get(str(q.pk))) for q in questions],
        )
        for booking in confirmed_bookings(event)
    ]
    return AttendeeList(questions=questions, attendees=attendees)


def waiting_list(event: Event) -> QuerySet[Booking]:
    """The waiting list in the order places will be offered, each with its
    `position` in the whole queue (1 first), also when read a page at a time."""
    queue_order = [F("queue_position").asc(), F("pk").asc()]
    return (
        Booking.objects.filter(event=event, status=BookingStatus.WAITING)
        .annotate(position=Window(RowNumber(), order_by=queue_order))
        .order_by(*queue_order)
    )


def open_offers(event: Event) -> list[Booking]:
    return list(
        Booking.objects.filter(event=event, status=BookingStatus.OFFERED).order_by(
            "offer_expires_at", "pk"
        )
    )


def event_bookings(event: Event) -> QuerySet[Booking]:
    """Bookings for this event only: every booking an organiser acts on is looked up here."""
    return Booking.objects.filter(event=event)


def event_question(
    event: Event, model: type[RegistrationQuestion] | type[FeedbackQuestion], pk: int
) -> RegistrationQuestion | FeedbackQuestion | None:
    """One of this event's questions (registration or feedback), or None."""
    return model.objects.filter(event=event, pk=pk).first()


def check_in_search(event: Event, query: str = "") -> list[Booking]:
    """Confirmed bookings whose name or email contains the text, or whose
    reference is exactly it; everyone when there is no text."""
    bookings = confirmed_bookings(event)
    query = query.strip()
    if query:
        bookings = bookings.filter(
            Q(name__icontains=query)
            | Q(email__icontains=query)
            | Q(reference__iexact=query.replace(" ", ""))
        )
    return list(bookings[:CHECK_IN_RESULTS_LIMIT])


@dataclass
class QuestionResult:
    question: FeedbackQuestion
    # (rating, label, how many gave it), best first as on the feedback form.
    rating_counts: list[tuple[int, str, int]] = field(default_factory=list)
    average: float | None = None
    text_answers: list[str] = field(default_factory=list)

    @property
    def is_rating(self) -> bool:
        return self.question.kind == FeedbackQuestionKind.RATING

    @property
    def rating_total(self) -> int:
        return sum(count for _, _, count in self.rating_counts)


@dataclass(frozen=True)
class FeedbackSummary:
    results: list[QuestionResult]
    responses: int
    checked_in_bookings: int

    @property
    def response_rate(self) -> int | None:
        """Per cent of the bookings that came who answered; None when nobody came."""
        if not self.checked_in_bookings:
            return None
        return round(100 * self.responses / self.checked_in_bookings)


def feedback_responses(event: Event) -> list[FeedbackResponse]:
    return list(
        FeedbackResponse.objects.filter(booking__event=event).order_by("submitted_at", "pk")
    )


def _rating(value: object) -> int | None:
    try:
        rating = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return rating if rating in RATING_SCALE else None


def feedback_summary(event: Event) -> FeedbackSummary:
    questions = feedback_questions(event)
    responses = feedback_responses(event)
    results = []
    for question in questions:
        answers = [r.answers.get(str(question.pk)) for r in responses]
        result = QuestionResult(question=question)
        if question.kind == FeedbackQuestionKind.RATING:
            ratings = [r for r in map(_rating, answers) if r is not None]
            result.rating_counts = [
                (n, RATING_LABELS.get(n, str(n)), ratings.count(n)) for n in reversed(RATING_SCALE)
            ]
            result.average = round(sum(ratings) / len(ratings), 1) if ratings else None
        else:
            result.text_answers = [str(a).strip() for a in answers if a and str(a).strip()]
        results.append(result)
    checked_in = Booking.objects.filter(
        event=event, status=BookingStatus.CONFIRMED, checked_in_at__isnull=False
    ).count()
    return FeedbackSummary(
        results=results, responses=len(responses), checked_in_bookings=checked_in
    )


def bookings_for_email(email: str) -> QuerySet[Booking]:
    """Every booking made under one email address (subject access and erasure)."""
    return (
        Booking.objects.filter(email=email)
        .exclude(email="")
        .select_related("event")
        .order_by("created_at", "pk")
    )
