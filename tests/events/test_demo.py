"""Demo events: the showcase, idempotence, --scale, and no email to demo addresses."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from fingerpost.core.models import OutboxMessage
from fingerpost.events import demo, notifications, queries, services
from fingerpost.events.models import (
    Booking,
    BookingStatus,
    Event,
    EventSeries,
    FeedbackResponse,
)


def demo_counts() -> tuple[int, ...]:
    return (
        Event.objects.count(),
        EventSeries.objects.count(),
        Booking.objects.count(),
        FeedbackResponse.objects.count(),
        OutboxMessage.objects.count(),
    )


def scaled_events():
    return Event.objects.filter(title__startswith=demo.SCALED_TITLE_PREFIX)


@pytest.mark.django_db
def test_demo_adds_a_full_networking_event_with_a_waiting_list() -> None:
    call_command("demo")
    event = Event.objects.get(title=demo.NETWORKING_TITLE)
    assert event.organiser.email == "organiser@example.org"
    assert event.is_published and event.starts_at > timezone.now()
    assert event.capacity == 40
    assert queries.places_left(event) == 0
    waiting = Booking.objects.filter(event=event, status=BookingStatus.WAITING)
    assert [queries.waiting_position(b) for b in waiting.order_by("queue_position")] == [
        1,
        2,
        3,
        4,
        5,
    ]
    emails = set(Booking.objects.filter(event=event).values_list("email", flat=True))
    assert "member@example.org" in emails  # the demo member account books too
    assert all(email.endswith("@example.org") for email in emails)


@pytest.mark.django_db
def test_demo_adds_a_weekly_code_club_a_drop_in_and_a_draft() -> None:
    call_command("demo")
    sessions = Event.objects.filter(title=demo.CODE_CLUB_TITLE).order_by("starts_at")
    assert sessions.count() == demo.CODE_CLUB_WEEKS
    assert len({s.series_id for s in sessions}) == 1 and sessions[0].series_id is not None
    first, second = sessions[0], sessions[1]
    assert second.starts_at - first.starts_at == timedelta(weeks=1)
    assert first.starts_at > timezone.now()
    assert (first.audience, first.capacity, first.max_places_per_booking) == ("public", 12, 4)
    assert first.organisation is not None and first.organisation.kind == "library"
    question = first.questions.get()
    assert (question.text, question.kind) == (demo.ACCESS_NEEDS_QUESTION, "yes_no")
    assert all(s.questions.count() == 1 for s in sessions)
    assert Booking.objects.filter(event=first, places__gt=1).exists()

    drop_in = Event.objects.get(title=demo.DROP_IN_TITLE)
    assert drop_in.kind == "drop_in" and drop_in.is_published
    assert Event.objects.get(title=demo.DRAFT_TITLE).status == "draft"


@pytest.mark.django_db
def test_demo_adds_a_past_event_with_check_ins_no_shows_and_feedback() -> None:
    call_command("demo")
    event = Event.objects.get(title=demo.PAST_TITLE)
    assert event.has_ended
    bookings = Booking.objects.filter(event=event, status=BookingStatus.CONFIRMED)
    came = bookings.filter(checked_in_at__isnull=False)
    assert came.exists()
    assert bookings.filter(checked_in_at__isnull=True).exists()  # no-shows
    questions = {q.text: q for q in event.feedback_questions.all()}
    assert questions[demo.USEFUL_QUESTION].kind == "rating"
    assert questions[demo.NEXT_TIME_QUESTION].kind == "text"
    responses = FeedbackResponse.objects.filter(booking__event=event)
    assert responses.exists()
    assert not responses.filter(booking__checked_in_at__isnull=True).exists()
    useful = str(questions[demo.USEFUL_QUESTION].pk)
    next_time = str(questions[demo.NEXT_TIME_QUESTION].pk)
    assert all(1 <= r.answers[useful] <= 5 for r in responses)
    assert any(r.answers.get(next_time) for r in responses)


@pytest.mark.django_db
def test_demo_events_are_idempotent() -> None:
    call_command("demo")
    counts = demo_counts()
    call_command("demo")
    assert demo_counts() == counts


@pytest.mark.django_db
def test_demo_scale_multiplies_the_generated_events_each_with_bookings() -> None:
    now = timezone.now()
    call_command("demo", "--scale", "1")
    at_one = scaled_events().count()
    upcoming_at_one = scaled_events().filter(starts_at__gt=now).count()
    assert at_one > 0 and 0 < upcoming_at_one < at_one

    call_command("demo", "--scale", "3")

    assert scaled_events().count() == 3 * at_one
    assert scaled_events().filter(starts_at__gt=now).count() == 3 * upcoming_at_one
    for event in scaled_events():
        bookings = Booking.objects.filter(event=event)
        assert bookings.exists(), event.title
        confirmed = bookings.filter(status=BookingStatus.CONFIRMED).aggregate(n=Sum("places"))
        assert confirmed["n"] <= event.capacity
        if bookings.filter(status=BookingStatus.WAITING).exists():
            assert confirmed["n"] == event.capacity  # people only wait when it is full
    assert Booking.objects.filter(event__in=scaled_events(), checked_in_at__isnull=False).exists()


@pytest.mark.django_db
def test_demo_sends_no_email_now_or_later(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", "--scale", "2")
    assert mail.outbox == []
    assert notifications.notify.__name__ == "notify"  # switched back on afterwards

    # When reminders and feedback requests fall due, demo addresses still get nothing.
    with django_capture_on_commit_callbacks(execute=True):
        for event in Event.objects.filter(status="published"):
            if event.starts_at > timezone.now():
                reminded = notifications.send_due_reminders(
                    event_id=event.pk, now=event.starts_at - timedelta(hours=1)
                )
                assert reminded == 0, event.title
            asked = notifications.send_due_feedback_requests(
                event_id=event.pk, now=event.ends_at + timedelta(hours=2)
            )
            assert asked == 0, event.title
    assert mail.outbox == []


@pytest.mark.django_db
def test_bookings_made_after_the_demo_still_send_email(django_capture_on_commit_callbacks) -> None:
    call_command("demo")
    drop_in = Event.objects.get(title=demo.DROP_IN_TITLE)
    with django_capture_on_commit_callbacks(execute=True):
        services.book_places(event_id=drop_in.pk, name="Real Person", email="real@example.net")
    assert [message.to for message in mail.outbox] == [["real@example.net"]]
