import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fingerpost.events import services
from fingerpost.events.models import Booking, RegistrationQuestion

from ..factories import BookingFactory, EventFactory, UserFactory
from ..querycount import assert_flat_query_count


def _book_through_the_form(
    client: Client,
    event,
    *,
    name="Ada Lovelace",
    email="ada@example.org",
    organisation="Dorset Council",
    places=None,
    answers=None,
):
    details = {"name": name, "email": email, "organisation_name": organisation}
    if places is not None:
        details["places"] = str(places)
    response = client.post(reverse("events:book", args=[event.pk]), details)
    assert response.status_code == 302, response.content.decode()[:2000]
    if answers is not None:
        response = client.post(reverse("events:book_questions", args=[event.pk]), answers)
        assert response.status_code == 302
    check = client.get(reverse("events:book_check", args=[event.pk]))
    key = re.search(
        r'name="submission_key" value="(web:[0-9a-f:]+)"', check.content.decode()
    ).group(1)
    return client.post(reverse("events:book_check", args=[event.pk]), {"submission_key": key}), key


@pytest.mark.django_db(transaction=True)
def test_book_a_place_without_an_account() -> None:
    event = EventFactory(capacity=40)
    client = Client()
    response, _key = _book_through_the_form(client, event)
    booking = Booking.objects.get()
    assert response["Location"] == reverse("events:booking_done", args=[booking.reference])
    done = client.get(response["Location"])
    assert b"Your place is booked" in done.content
    assert booking.reference.encode() in done.content
    assert booking.status == "confirmed" and booking.organisation_name == "Dorset Council"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_double_submitted_form_books_once() -> None:
    event = EventFactory(capacity=40)
    client = Client()
    first, key = _book_through_the_form(client, event)
    # The browser sends the same form again (double click, or retry after a timeout).
    again = client.post(reverse("events:book_check", args=[event.pk]), {"submission_key": key})
    assert again["Location"] == first["Location"]
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_a_second_booking_with_the_same_email_reveals_nothing_and_emails_the_holder(
    django_capture_on_commit_callbacks,
) -> None:
    event = EventFactory(capacity=40)
    _book_through_the_form(Client(), event)
    booking = Booking.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = _book_through_the_form(Client(), event, name="Someone else")
    assert response.status_code == 200
    assert b"already booked" in response.content
    assert booking.token.encode() not in response.content
    assert Booking.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert booking.get_manage_url() in mail.outbox[0].body


@pytest.mark.django_db
def test_a_full_event_puts_people_on_the_waiting_list_with_their_position() -> None:
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    client = Client()
    response, _ = _book_through_the_form(client, event)
    page = client.get(response["Location"])
    assert b"You are on the waiting list" in page.content
    assert b"You are number <strong>1</strong>" in page.content


@pytest.mark.django_db
def test_custom_questions_and_groups() -> None:
    event = EventFactory(capacity=10, max_places_per_booking=4, audience="public")
    question = RegistrationQuestion.objects.create(
        event=event, text="Does anyone need step-free access?", kind="yes_no", required=True
    )
    client = Client()
    client.post(
        reverse("events:book", args=[event.pk]),
        {"name": "Parent", "email": "parent@example.org", "places": "3"},
    )
    missing = client.post(reverse("events:book_questions", args=[event.pk]), {})
    assert b"Answer the question: Does anyone need step-free access?" in missing.content
    _book_through_the_form(
        client,
        event,
        name="Parent",
        email="parent@example.org",
        organisation="",
        places=3,
        answers={f"q{question.pk}": "yes"},
    )
    booking = Booking.objects.get()
    assert booking.places == 3 and booking.answers == {str(question.pk): "yes"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, b"Enter your full name"),
        ({"name": "A", "email": "nope", "organisation_name": "X"}, b"correct format"),
        ({"name": "A", "email": "a@example.org"}, b"Enter the organisation you work for"),
        ({"name": "x" * 151, "email": "a@example.org", "organisation_name": "X"}, b"150"),
        (
            {"name": "\u200b", "email": "a@example.org", "organisation_name": "X"},
            b"Enter your full name",
        ),
    ],
)
def test_bad_details_give_a_clear_error_and_change_nothing(data, message) -> None:
    event = EventFactory(audience="staff")
    client = Client()
    client.force_login(UserFactory())
    response = client.post(reverse("events:book", args=[event.pk]), data)
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert message in response.content
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_check_page_without_details_starts_again() -> None:
    event = EventFactory()
    response = Client().post(reverse("events:book_check", args=[event.pk]), {"submission_key": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse("events:book", args=[event.pk])
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_drafts_are_hidden_and_closed_events_cannot_be_booked() -> None:
    draft = EventFactory(status="draft")
    assert Client().get(reverse("events:detail", args=[draft.pk])).status_code == 404
    assert Client().get(reverse("events:book", args=[draft.pk])).status_code == 404
    closed = EventFactory(booking_closes_at=timezone.now() - timedelta(hours=1))
    page = Client().get(reverse("events:book", args=[closed.pk]))
    assert b"You cannot book" in page.content


@pytest.mark.django_db
def test_manage_booking_by_private_link_cancel_and_claim() -> None:
    event = EventFactory(capacity=1)
    booked = services.book_places(event_id=event.pk, name="A", email="a@example.org").booking
    waiting = services.book_places(event_id=event.pk, name="B", email="b@example.org").booking
    client = Client()
    page = client.get(reverse("events:manage_booking", args=[waiting.token]))
    assert b"On the waiting list: number 1" in page.content
    client.post(reverse("events:manage_booking", args=[booked.token]), {"action": "cancel"})
    assert Booking.objects.get(pk=booked.pk).status == "cancelled"
    client.post(reverse("events:manage_booking", args=[waiting.token]), {"action": "claim"})
    assert Booking.objects.get(pk=waiting.pk).status == "confirmed"
    assert client.get(reverse("events:manage_booking", args=["guessed-token"])).status_code == 404


@pytest.mark.django_db
def test_feedback_form_only_for_attendees() -> None:
    from fingerpost.events.models import FeedbackQuestion, FeedbackResponse

    event = EventFactory()
    question = FeedbackQuestion.objects.create(event=event, text="How useful?", kind="rating")
    came = BookingFactory(event=event, checked_in_at=timezone.now())
    absent = BookingFactory(event=event)
    url = reverse("events:feedback", args=[came.token])
    assert b"There is a problem" in Client().post(url, {f"q{question.pk}": "9"}).content
    assert b"Thank you" in Client().post(url, {f"q{question.pk}": "4"}).content
    assert FeedbackResponse.objects.get().answers == {str(question.pk): 4}
    page = Client().get(reverse("events:feedback", args=[absent.token]))
    assert b"only for people who came" in page.content


@pytest.mark.django_db
def test_event_list_and_page_queries_do_not_grow_with_data() -> None:
    events = EventFactory.create_batch(10)
    for event in events[:3]:
        BookingFactory.create_batch(3, event=event)
    client = Client()
    assert_flat_query_count(
        client,
        reverse("events:list"),
        lambda: [BookingFactory.create_batch(5, event=e) for e in EventFactory.create_batch(30)],
    )
    assert_flat_query_count(
        client,
        reverse("events:detail", args=[events[0].pk]),
        lambda: BookingFactory.create_batch(50, event=events[0]),
    )


@pytest.mark.django_db
def test_event_list_filters_and_shows_places_left() -> None:
    EventFactory(title="Code club", kind="code_club", capacity=12, audience="public")
    full = EventFactory(title="Full networking", capacity=1)
    BookingFactory(event=full)
    page = Client().get(reverse("events:list"), {"kind": "code_club"})
    assert b"Code club" in page.content and b"Full networking" not in page.content
    assert b"12 places left" in page.content
    page = Client().get(reverse("events:list"))
    assert b"Full: join the waiting list" in page.content
    bad = Client().get(reverse("events:list"), {"kind": "<script>", "page": "999"})
    assert bad.status_code == 200


@pytest.mark.django_db
def test_someone_elses_submission_key_never_shows_their_booking() -> None:
    event = EventFactory(capacity=40)
    # A booking made through the API (or by the help desk) with a guessable key.
    victim = services.book_places(
        event_id=event.pk, name="Vera Victim", email="vera@example.org", idempotency_key="order-1"
    ).booking
    client = Client()
    details = client.post(
        reverse("events:book", args=[event.pk]),
        {"name": "Mallory Jones", "email": "mallory@example.org", "organisation_name": "Council"},
    )
    assert details.status_code == 302
    response = client.post(
        reverse("events:book_check", args=[event.pk]), {"submission_key": "order-1"}
    )
    assert victim.token not in response.get("Location", "")
    assert victim.token.encode() not in response.content
    assert b"Vera Victim" not in response.content
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_a_submission_key_works_only_in_the_browser_it_was_given_to() -> None:
    event = EventFactory(capacity=40)
    first = Client()
    _book_through_the_form(first, event, name="Ada Lovelace", email="ada@example.org")
    booked = Booking.objects.get()
    # Someone else copies the key Ada was given, or changes its signature.
    other = Client()
    details = other.post(
        reverse("events:book", args=[event.pk]),
        {"name": "Mallory Jones", "email": "mallory@example.org", "organisation_name": "Council"},
    )
    assert details.status_code == 302
    nonce = booked.idempotency_key.removeprefix("web:")
    for forged in (f"web:{nonce}", f"web:{nonce}:{'0' * 32}"):
        response = other.post(
            reverse("events:book_check", args=[event.pk]), {"submission_key": forged}
        )
        # Not Ada's booking: the check page again, with a key of its own.
        assert response.status_code == 200
        assert booked.token not in response.content.decode()
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_required_questions_cannot_be_skipped() -> None:
    event = EventFactory(capacity=40)
    RegistrationQuestion.objects.create(
        event=event, text="Dietary needs?", kind="text", required=True
    )
    client = Client()
    details = client.post(
        reverse("events:book", args=[event.pk]),
        {"name": "Ada Lovelace", "email": "ada@example.org", "organisation_name": "Council"},
    )
    assert details.status_code == 302, details.content.decode()[:3000]
    skipped = client.get(reverse("events:book_check", args=[event.pk]))
    assert skipped["Location"] == reverse("events:book_questions", args=[event.pk])
    forced = client.post(reverse("events:book_check", args=[event.pk]), {"submission_key": "x"})
    assert forced.status_code == 302 and not Booking.objects.exists()
