"""Reads for the organisers' back office: lists, counts and summaries, each in a
fixed number of queries however many bookings an event has."""

from dataclasses import dataclass, field
from datetime import datetime

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
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from .models import (
    RATINGS,
    Booking,
    BookingStatus,
    Event,
    FeedbackQuestion,
    FeedbackQuestionKind,
    FeedbackResponse,
    QuestionKind,
    RegistrationQuestion,
)
from .queries import events_managed_by

CHECK_IN_RESULTS_LIMIT = 100
RATING_SCALE = (1, 2, 3, 4, 5)
RATING_LABELS = dict(RATINGS)


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

    @property
    def not_checked_in_bookings(self) -> int:
        return self.booked_bookings - self.checked_in_bookings


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
    return list(RegistrationQuestion.objects.filter(event=event).order_by("position", "pk"))


def feedback_questions(event: Event) -> list[FeedbackQuestion]:
    return list(FeedbackQuestion.objects.filter(event=event).order_by("position", "pk"))


def format_answer(question: RegistrationQuestion, answer: object) -> str:
    if answer in (None, ""):
        return ""
    if question.kind == QuestionKind.YES_NO:
        return {"yes": "Yes", "no": "No"}.get(str(answer), str(answer))
    return str(answer)


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


def waiting_bookings(event: Event) -> list[Booking]:
    """The waiting list in the order places will be offered."""
    return list(
        Booking.objects.filter(event=event, status=BookingStatus.WAITING).order_by(
            "queue_position", "pk"
        )
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
