"""The booking rules: places, the waiting list, offers, idempotency, emails once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from fingerpost.core.errors import Conflict, Invalid
from fingerpost.core.models import OutboxMessage
from fingerpost.events import notifications, queries, services
from fingerpost.events.models import Booking, BookingStatus, EventStatus

from ..factories import EventFactory


def book(event, n: int, **kwargs):
    defaults = {"name": f"Person {n}", "email": f"p{n}@example.org"}
    defaults.update(kwargs)
    return services.book_places(event_id=event.pk, **defaults)


def statuses(event) -> dict[str, str]:
    return dict(Booking.objects.filter(event=event).values_list("email", "status"))


@pytest.mark.django_db
def test_places_are_confirmed_until_full_then_people_wait_in_order() -> None:
    event = EventFactory(capacity=2)
    results = [book(event, n) for n in range(1, 5)]
    assert [r.booking.status for r in results] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [queries.waiting_position(r.booking) for r in results] == [None, None, 1, 2]
    assert queries.places_left(event) == 0


@pytest.mark.django_db
def test_a_group_is_confirmed_or_waits_together() -> None:
    event = EventFactory(capacity=5, max_places_per_booking=4)
    assert book(event, 1, places=3).booking.status == "confirmed"
    group = book(event, 2, places=3).booking
    assert group.status == "waiting"  # 2 left: the group of 3 is not split
    assert book(event, 3, places=2).booking.status == "confirmed"


@pytest.mark.django_db
def test_one_booking_per_email_per_event() -> None:
    event = EventFactory(capacity=10)
    first = book(event, 1)
    again = services.book_places(event_id=event.pk, name="Someone", email=" P1@Example.org ")
    assert again.created is False
    assert again.booking.pk == first.booking.pk
    assert Booking.objects.filter(event=event).count() == 1


@pytest.mark.django_db
def test_same_idempotency_key_returns_the_same_booking() -> None:
    event = EventFactory(capacity=10)
    first = book(event, 1, idempotency_key="abc")
    retry = book(event, 1, idempotency_key="abc")
    assert retry.created is False and retry.booking.pk == first.booking.pk
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_after_cancelling_the_same_person_can_book_again() -> None:
    event = EventFactory(capacity=10)
    services.cancel_booking(booking=book(event, 1).booking)
    assert book(event, 1).created is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": EventStatus.DRAFT}, "closed"),
        ({"status": EventStatus.CANCELLED}, "closed"),
        ({"booking_opens_at": timezone.now() + timedelta(days=1)}, "closed"),
        ({"booking_closes_at": timezone.now() - timedelta(minutes=1)}, "closed"),
    ],
)
def test_booking_refused_when_not_open(change, message: str) -> None:
    event = EventFactory(**change)
    with pytest.raises(Invalid, match=message):
        book(event, 1)
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_booking_refused_for_too_many_places_or_bad_details() -> None:
    event = EventFactory(capacity=10, max_places_per_booking=2)
    for kwargs in ({"places": 3}, {"places": 0}, {"name": "  "}, {"email": "not-an-email"}):
        with pytest.raises(Invalid):
            book(event, 1, **kwargs)
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_cancelling_offers_the_place_to_the_first_person_waiting() -> None:
    event = EventFactory(capacity=1)
    booked = book(event, 1).booking
    first_waiting = book(event, 2).booking
    book(event, 3)
    services.cancel_booking(booking=booked)
    first_waiting.refresh_from_db()
    assert first_waiting.status == BookingStatus.OFFERED
    assert first_waiting.offer_expires_at is not None
    assert statuses(event)["p3@example.org"] == "waiting"
    assert queries.places_left(event) == 0  # the offer holds the place


@pytest.mark.django_db
def test_the_first_person_who_fits_gets_the_offer() -> None:
    event = EventFactory(capacity=3, max_places_per_booking=3)
    pair = book(event, 1, places=2).booking
    book(event, 2)
    group = book(event, 3, places=3).booking
    single = book(event, 4).booking
    services.cancel_booking(booking=pair)  # frees 2: too few for the group of 3
    group.refresh_from_db()
    single.refresh_from_db()
    assert group.status == "waiting" and single.status == "offered"


@pytest.mark.django_db
def test_claiming_an_offer_confirms_the_place() -> None:
    event = EventFactory(capacity=1)
    booked = book(event, 1).booking
    waiting = book(event, 2).booking
    services.cancel_booking(booking=booked)
    services.claim_offer(booking=waiting)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


@pytest.mark.django_db
def test_an_unclaimed_offer_expires_and_passes_on() -> None:
    event = EventFactory(capacity=1)
    booked = book(event, 1).booking
    second = book(event, 2).booking
    third = book(event, 3).booking
    services.cancel_booking(booking=booked)
    second.refresh_from_db()
    later = second.offer_expires_at + timedelta(seconds=1)
    assert services.expire_due_offers(now=later) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == "expired"
    assert third.status == "offered"
    with pytest.raises(Conflict, match="no longer open"):
        services.claim_offer(booking=second, now=later)


@pytest.mark.django_db
def test_claiming_too_late_passes_the_place_on() -> None:
    event = EventFactory(capacity=1)
    booked = book(event, 1).booking
    second = book(event, 2).booking
    third = book(event, 3).booking
    services.cancel_booking(booking=booked)
    second.refresh_from_db()
    with pytest.raises(Conflict, match="expired"):
        services.claim_offer(booking=second, now=second.offer_expires_at + timedelta(minutes=1))
    third.refresh_from_db()
    assert third.status == "offered"


@pytest.mark.django_db
def test_offers_are_shorter_close_to_the_event() -> None:
    now = timezone.now()
    far = EventFactory(starts_at=now + timedelta(days=10), offer_hours=48)
    near = EventFactory(starts_at=now + timedelta(hours=6), offer_hours=48)
    assert services.offer_window(far, now) == timedelta(hours=48)
    assert services.offer_window(near, now) == timedelta(hours=3)
    # Never past the start, nor past the close of booking.
    imminent = EventFactory(starts_at=now + timedelta(minutes=10), offer_hours=48)
    assert services.offer_window(imminent, now) == timedelta(minutes=10)
    closing = EventFactory(
        starts_at=now + timedelta(days=10), booking_closes_at=now + timedelta(hours=4)
    )
    assert services.offer_window(closing, now) == timedelta(hours=2)


@pytest.mark.django_db
def test_raising_capacity_offers_the_new_places() -> None:
    event = EventFactory(capacity=1)
    book(event, 1)
    waiting = book(event, 2).booking
    event.capacity = 2
    services.save_event(event=event)
    waiting.refresh_from_db()
    assert waiting.status == "offered"


@pytest.mark.django_db
def test_leaving_the_waiting_list_moves_others_up() -> None:
    event = EventFactory(capacity=1)
    book(event, 1)
    leaving = book(event, 2).booking
    staying = book(event, 3).booking
    services.cancel_booking(booking=leaving)
    assert queries.waiting_position(Booking.objects.get(pk=staying.pk)) == 1


@pytest.mark.django_db
def test_organiser_can_reorder_and_offer_by_hand() -> None:
    event = EventFactory(capacity=1)
    book(event, 1)
    a = book(event, 2).booking
    b = book(event, 3).booking
    services.move_in_waiting_list(booking=b, up=True)
    assert queries.waiting_position(Booking.objects.get(pk=b.pk)) == 1
    assert queries.waiting_position(Booking.objects.get(pk=a.pk)) == 2
    with pytest.raises(Conflict, match="No places are free"):
        services.offer_place_by_hand(booking=a)
    event.capacity = 2
    event.save()
    services.offer_place_by_hand(booking=a)
    assert Booking.objects.get(pk=a.pk).status == "offered"


@pytest.mark.django_db(transaction=True)
def test_each_email_is_sent_once() -> None:
    event = EventFactory(capacity=1, starts_at=timezone.now() + timedelta(hours=20))
    booked = book(event, 1).booking
    book(event, 2)
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Your place is booked",
        "You are on the waiting list",
    ]
    confirmation = mail.outbox[0]
    assert {a[0] for a in confirmation.attachments} == {"event.ics", "check-in-code.png"}
    assert booked.reference in confirmation.body
    assert booked.get_manage_url() in confirmation.body

    mail.outbox.clear()
    assert notifications.send_due_reminders() == 1
    assert notifications.send_due_reminders() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Reminder")

    mail.outbox.clear()
    assert services.cancel_event(event=event) == 2
    assert services.cancel_event(event=event) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["p1@example.org", "p2@example.org"]
    assert OutboxMessage.objects.filter(kind="events.event_cancelled").count() == 2


@pytest.mark.django_db(transaction=True)
def test_feedback_requests_go_only_to_people_who_came() -> None:
    from fingerpost.events.models import FeedbackQuestion

    event = EventFactory(capacity=5)
    came = book(event, 1).booking
    book(event, 2)  # booked but did not come
    FeedbackQuestion.objects.create(event=event, text="How useful was it?", kind="rating")
    services.check_in(booking=came, early=True)
    mail.outbox.clear()
    after = event.ends_at + timedelta(hours=2)
    assert notifications.send_due_feedback_requests(now=after) == 1
    assert notifications.send_due_feedback_requests(now=after) == 0
    assert [m.to for m in mail.outbox] == [["p1@example.org"]]


@pytest.mark.django_db
def test_feedback_only_from_attendees() -> None:
    event = EventFactory()
    came = book(event, 1).booking
    absent = book(event, 2).booking
    services.check_in(booking=came, early=True)
    services.submit_feedback(booking=came, answers={"1": 5})
    with pytest.raises(Conflict):
        services.submit_feedback(booking=absent, answers={"1": 1})


@pytest.mark.django_db
def test_check_in_walk_ins_and_no_shows() -> None:
    event = EventFactory(capacity=2)
    came = book(event, 1).booking
    book(event, 2)
    waiting = book(event, 3).booking
    services.check_in(booking=came, early=True)
    with pytest.raises(Conflict):
        services.check_in(booking=waiting, early=True)
    walk_in = services.record_walk_in(event=event, name="Sam Walker", early=True)
    assert walk_in.checked_in_at is not None and walk_in.is_walk_in
    services.record_walk_in(event=event, name="Alex Walker", early=True)  # no email twice is fine
    with pytest.raises(Conflict):
        services.record_walk_in(event=event, name="P1 again", email="p1@example.org", early=True)


@pytest.mark.django_db
def test_copy_keeps_details_and_questions_but_not_dates_or_bookings() -> None:
    from fingerpost.events.models import FeedbackQuestion, RegistrationQuestion

    event = EventFactory()
    RegistrationQuestion.objects.create(event=event, text="Dietary needs", kind="text")
    FeedbackQuestion.objects.create(event=event, text="Rate it", kind="rating")
    book(event, 1)
    copy = services.copy_event(event=event, by=event.organiser)
    assert copy.title == event.title and copy.status == "draft"
    assert copy.starts_at is None and copy.ends_at is None
    assert [q.text for q in copy.questions.all()] == ["Dietary needs"]
    assert [q.text for q in copy.feedback_questions.all()] == ["Rate it"]
    assert not copy.bookings.exists()
    assert copy.copied_from == event


@pytest.mark.django_db
def test_weekly_code_club_sessions_each_have_their_own_places() -> None:
    event = EventFactory(kind="code_club", capacity=12)
    sessions = services.create_weekly_sessions(event=event, weeks=3)

    def wall_clock(moment):
        return timezone.localtime(moment).replace(tzinfo=None)

    assert [wall_clock(s.starts_at) - wall_clock(event.starts_at) for s in sessions] == [
        timedelta(weeks=1),
        timedelta(weeks=2),
        timedelta(weeks=3),
    ]
    event.refresh_from_db()
    assert all(s.series_id == event.series_id and s.capacity == 12 for s in sessions)
    book(sessions[0], 1)
    assert queries.places_left(sessions[1]) == 12


@pytest.mark.django_db
def test_capacity_cannot_drop_below_the_places_already_taken() -> None:
    event = EventFactory(capacity=5)
    for n in range(3):
        book(event, n)
    event.capacity = 2
    with pytest.raises(Invalid, match="3 places are already booked"):
        services.save_event(event=event)
    event.refresh_from_db()
    assert event.capacity == 5
    event.capacity = 3
    services.save_event(event=event)
    event.refresh_from_db()
    assert event.capacity == 3


@pytest.mark.django_db
def test_only_drafts_are_published_and_cancelled_events_take_no_walk_ins() -> None:
    event = EventFactory(on_the_day=True)
    services.cancel_event(event=event)
    event.refresh_from_db()
    with pytest.raises(Conflict, match="cannot be published again"):
        services.publish_event(event=event)
    with pytest.raises(Conflict, match="cancelled"):
        services.record_walk_in(event=event, name="Late Larry")
    assert not Booking.objects.filter(event=event).exists()
    published = EventFactory(on_the_day=True)
    assert services.publish_event(event=published).status == EventStatus.PUBLISHED


@pytest.mark.django_db
def test_repeating_a_series_twice_adds_only_the_missing_weeks() -> None:
    event = EventFactory(kind="code_club")
    assert len(services.create_weekly_sessions(event=event, weeks=2)) == 2
    event.refresh_from_db()
    added = services.create_weekly_sessions(event=event, weeks=3)
    assert [s.starts_at - event.starts_at for s in added] == [timedelta(weeks=3)]
    assert services.create_weekly_sessions(event=event, weeks=3) == []
    assert event.series.sessions.count() == 4


@pytest.mark.django_db(transaction=True)
def test_plain_text_emails_are_not_html_escaped() -> None:
    event = EventFactory(title="Tips & tricks for 'smart' phones")
    mail.outbox.clear()
    book(event, 1, name="Mary O'Brien")
    body = mail.outbox[0].body
    assert "Mary O'Brien" in body and "Tips & tricks for 'smart' phones" in body
    assert "&#x27;" not in body and "&amp;" not in body


@pytest.mark.django_db
def test_weekly_sessions_keep_their_local_time_when_the_clocks_change() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    start = datetime(2030, 3, 21, 18, 0, tzinfo=london)  # British Summer Time starts 31 March
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    sessions = services.create_weekly_sessions(event=event, weeks=3)
    local = [timezone.localtime(s.starts_at, london) for s in sessions]
    assert [(t.day, t.month, t.hour) for t in local] == [(28, 3, 18), (4, 4, 18), (11, 4, 18)]
    assert all(timezone.localtime(s.ends_at, london).hour == 20 for s in sessions)
    event.refresh_from_db()
    assert services.create_weekly_sessions(event=event, weeks=3) == []


@pytest.mark.django_db
def test_an_edit_read_before_a_cancellation_cannot_bring_the_event_back() -> None:
    from fingerpost.events.models import Event

    event = EventFactory()
    book(event, 1)
    stale = Event.objects.get(pk=event.pk)  # an organiser opens the edit form
    services.cancel_event(event=event)  # someone else cancels it meanwhile
    stale.title = "New title"
    with pytest.raises(Conflict, match="has been cancelled"):
        services.save_event(event=stale)
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.title != "New title"


@pytest.mark.django_db
def test_a_double_clicked_walk_in_is_recorded_once() -> None:
    event = EventFactory(on_the_day=True, capacity=10)
    first = services.record_walk_in(event=event, name="Wally", places=3, idempotency_key="w-1")
    again = services.record_walk_in(event=event, name="Wally", places=3, idempotency_key="w-1")
    assert again == first and queries.places_taken(event) == 3
    services.record_walk_in(event=event, name="Wanda", idempotency_key="w-2")
    assert queries.places_taken(event) == 4


@pytest.mark.django_db
def test_an_email_queued_before_things_changed_is_not_sent() -> None:
    from fingerpost.core import outbox
    from fingerpost.core.models import OutboxMessage

    event = EventFactory(capacity=1)
    first = book(event, 1).booking
    waiting = book(event, 2).booking
    services.cancel_booking(booking=first)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.OFFERED
    services.claim_offer(booking=waiting)
    # The worker gets to the messages only now (nothing was sent on commit here).
    mail.outbox.clear()
    outbox.deliver_due(worker_id="test")
    status = dict(
        OutboxMessage.objects.filter(about_reference=waiting.reference).values_list(
            "kind", "status"
        )
    )
    # Claimed before the worker got to it: "a place is free for you" is no longer true.
    assert status["events.offer"] == "skipped"
    assert status["events.confirmation"] == "sent"
    first_messages = dict(
        OutboxMessage.objects.filter(about_reference=first.reference).values_list("kind", "status")
    )
    assert first_messages["events.confirmation"] == "skipped"  # that booking was cancelled
    assert first_messages["events.booking_cancelled"] == "sent"
    assert status["events.waiting"] == "skipped"  # no longer waiting
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == [
        "Your booking is cancelled",
        "Your place is booked",
    ]


@pytest.mark.django_db
def test_a_booking_cannot_be_cancelled_once_the_event_has_started() -> None:
    event = EventFactory(capacity=5)
    booking = book(event, 1).booking
    later = event.starts_at + timedelta(minutes=5)
    with pytest.raises(Invalid, match="has started"):
        services.cancel_booking(booking=booking, now=later)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not queries.can_still_cancel(booking, event=event, now=later)
    assert queries.can_still_cancel(booking, event=event)


@pytest.mark.django_db
def test_a_cancelled_event_is_not_repeated() -> None:
    event = EventFactory(kind="code_club")
    services.cancel_event(event=event)
    with pytest.raises(Conflict, match="cannot be repeated"):
        services.create_weekly_sessions(event=event, weeks=2)


@pytest.mark.django_db(transaction=True)
def test_moving_an_event_tells_everyone_once_and_reminds_them_again() -> None:
    event = EventFactory(capacity=1)
    book(event, 1)
    book(event, 2)  # waiting
    notifications.send_due_reminders(event_id=event.pk, now=event.starts_at - timedelta(hours=2))
    mail.outbox.clear()
    event.title = "Same time, new title"
    services.save_event(event=event)
    assert mail.outbox == []  # nothing about when or where changed
    event.starts_at += timedelta(days=1)
    event.ends_at += timedelta(days=1)
    services.save_event(event=event)
    changed = [m for m in mail.outbox if m.subject.startswith("Changed:")]
    assert sorted(m.to[0] for m in changed) == ["p1@example.org", "p2@example.org"]
    assert any(a[0] == "event.ics" for m in changed for a in m.attachments)
    services.save_event(event=event)  # saved again unchanged: no second email
    assert len([m for m in mail.outbox if m.subject.startswith("Changed:")]) == 2
    mail.outbox.clear()
    sent = notifications.send_due_reminders(
        event_id=event.pk, now=event.starts_at - timedelta(hours=2)
    )
    assert sent == 1 and mail.outbox[0].subject.startswith("Reminder")
