"""The organisers' back office: who may use it, and that each page does its job
through the services without ever changing anything on GET."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fingerpost.accounts.roles import Role
from fingerpost.events.models import (
    Booking,
    Event,
    FeedbackQuestion,
    FeedbackResponse,
    RegistrationQuestion,
)

from ..conftest import ALL_ROLES
from ..factories import BookingFactory, EventFactory, UserFactory
from ..querycount import assert_flat_query_count

MANAGERS = [Role.ORGANISER, Role.ADMIN]
# Coordinators run their own organisations' sessions for residents: another
# organisation's event is not found for them (see test_coordinators_run_...).
NOT_MANAGERS = [role for role in ALL_ROLES if role not in [*MANAGERS, Role.COORDINATOR]]

# Every organiser page, with the arguments it needs ("pk" and "reference" are
# filled in from the event and its booking).
PAGES = [
    ("manage_list", {}),
    ("create", {}),
    ("overview", {"pk": None}),
    ("edit", {"pk": None}),
    ("publish", {"pk": None}),
    ("cancel", {"pk": None}),
    ("copy", {"pk": None}),
    ("repeat", {"pk": None}),
    ("questions", {"pk": None}),
    ("feedback_questions", {"pk": None}),
    ("attendees", {"pk": None}),
    ("export", {"pk": None, "fmt": "csv"}),
    ("export", {"pk": None, "fmt": "xlsx"}),
    ("waiting_list", {"pk": None}),
    ("check_in", {"pk": None}),
    ("check_in_scan", {"pk": None, "reference": None}),
    ("walk_in", {"pk": None}),
    ("feedback_results", {"pk": None}),
    ("feedback_export", {"pk": None, "fmt": "csv"}),
    ("feedback_export", {"pk": None, "fmt": "xlsx"}),
]
PAGE_IDS = [f"{name}-{kwargs.get('fmt', '')}".rstrip("-") for name, kwargs in PAGES]


def _url(name: str, kwargs: dict, booking: Booking) -> str:
    filled = {
        key: booking.event_id if key == "pk" else booking.reference if key == "reference" else value
        for key, value in kwargs.items()
    }
    return reverse(f"events:{name}", kwargs=filled)


def _url_for(name: str, event: Event, **kwargs: object) -> str:
    return reverse(f"events:{name}", kwargs={"pk": event.pk, **kwargs})


@pytest.fixture
def booking(db: None) -> Booking:
    return BookingFactory(event=EventFactory(status="draft"), name="Grace Hopper")


@pytest.fixture
def organiser(client_for) -> Client:
    return client_for(Role.ORGANISER)


def _event_form(**overrides: str) -> dict[str, str]:
    starts = timezone.localtime() + timedelta(days=30)
    data = {
        "title": "Dorset digital meet-up",
        "summary": "Meet people working on digital services across the county.",
        "description": "Talks and coffee.",
        "kind": "networking",
        "audience": "staff",
        "venue_name": "County Hall",
        "venue_address": "Colliton Park\nDorchester",
        "venue_accessibility": "Step-free access.",
        "online_link": "",
        "starts_at": starts.strftime("%d/%m/%Y 18:30"),
        "ends_at": starts.strftime("%d/%m/%Y 20:30"),
        "capacity": "40",
        "max_places_per_booking": "1",
        "booking_opens_at": "",
        "booking_closes_at": "",
        "offer_hours": "48",
        "organisation": "",
        "contact_email": "events@example.org",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- permissions


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=PAGE_IDS)
def test_only_organisers_and_admins_can_use_each_page(
    client: Client, client_for, booking, name, kwargs
) -> None:
    url = _url(name, kwargs, booking)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302, "anonymous"
        assert response["Location"].startswith(reverse("account_login"))
    for role in NOT_MANAGERS:
        signed_in = client_for(role)
        assert signed_in.get(url).status_code == 403, role
        assert signed_in.post(url).status_code == 403, role
    coordinator = client_for(Role.COORDINATOR)
    expected = 200 if name in {"manage_list", "create"} else 404
    assert coordinator.get(url).status_code == expected
    if expected == 404:
        assert coordinator.post(url).status_code == 404
    for role in MANAGERS:
        assert client_for(role).get(url).status_code == 200, role


@pytest.mark.django_db
def test_refused_posts_change_nothing(client_for, booking) -> None:
    event = booking.event
    client = client_for(Role.COORDINATOR)
    client.post(_url_for("publish", event))
    client.post(_url_for("cancel", event))
    client.post(_url_for("check_in", event), {"booking": booking.pk, "action": "check_in"})
    event.refresh_from_db()
    booking.refresh_from_db()
    assert event.status == "draft"
    assert booking.status == "confirmed" and booking.checked_in_at is None
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_get_never_changes_anything(organiser, booking) -> None:
    event = booking.event
    for name in ("publish", "cancel", "copy", "repeat", "walk_in"):
        assert organiser.get(_url_for(name, event)).status_code == 200
    organiser.get(_url_for("check_in_scan", event, reference=booking.reference))
    event.refresh_from_db()
    booking.refresh_from_db()
    assert event.status == "draft"
    assert Event.objects.count() == 1
    assert Booking.objects.count() == 1
    assert booking.checked_in_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["export", "feedback_export"])
@pytest.mark.parametrize("fmt", ["pdf", "CSV", "xls", "csv.exe"])
def test_unknown_export_formats_do_not_exist(organiser, booking, name, fmt) -> None:
    assert organiser.get(_url_for(name, booking.event, fmt=fmt)).status_code == 404


@pytest.mark.django_db
def test_unknown_events_do_not_exist(organiser) -> None:
    assert organiser.get(reverse("events:overview", kwargs={"pk": 999_999})).status_code == 404


# ---------------------------------------------------------------- create and edit


@pytest.mark.django_db
def test_create_makes_a_draft_owned_by_the_organiser(client: Client) -> None:
    user = UserFactory(role=Role.ORGANISER, email="olu@example.org")
    client.force_login(user)
    form = client.get(reverse("events:create"))
    assert b'value="olu@example.org"' in form.content
    assert b"For example, 27/3/2027 18:30" in form.content
    response = client.post(
        reverse("events:create"),
        _event_form(starts_at="27/3/2027 18:30", ends_at="2027-03-27 20:30"),
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url_for("overview", event)
    assert event.status == "draft"
    assert event.organiser == user
    assert event.title == "Dorset digital meet-up"
    assert event.venue_address == "Colliton Park\nDorchester"
    local_start = timezone.localtime(event.starts_at)
    assert (local_start.day, local_start.month, local_start.hour, local_start.minute) == (
        27,
        3,
        18,
        30,
    )
    assert event.ends_at - event.starts_at == timedelta(hours=2)


@pytest.mark.django_db
def test_create_accepts_the_browser_date_time_format(organiser) -> None:
    response = organiser.post(
        reverse("events:create"),
        _event_form(starts_at="2027-05-01T09:00", ends_at="2027-05-01T12:00"),
    )
    assert response.status_code == 302
    assert timezone.localtime(Event.objects.get().starts_at).hour == 9


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter the event name"),
        ({"title": "\u200b \u200b"}, "Enter the event name"),
        ({"title": "x" * 201}, "The event name must be 200 characters or fewer"),
        ({"summary": "é" * 301}, "The summary must be 300 characters or fewer"),
        ({"description": "🙂" * 5001}, "Description must be 5,000 characters or fewer"),
        ({"starts_at": ""}, "Enter the date the event starts, like 27/3/2027 18:30"),
        ({"starts_at": "next Tuesday"}, "Enter the date the event starts, like 27/3/2027 18:30"),
        ({"starts_at": "31/2/2027 10:00"}, "Enter the date the event starts, like 27/3/2027 18:30"),
        (
            {"starts_at": "\uff11/\uff13/\uff12\uff10\uff12\uff17 10:00"},
            "Enter the date the event starts",
        ),
        ({"starts_at": "1/1/9999 10:00"}, "between the years 2000 and 2099"),
        ({"starts_at": "28/3/2027 01:30", "ends_at": "28/3/2027 03:00"}, "the clocks change"),
        ({"starts_at": "27/3/2027 18:30", "ends_at": "27/3/2027 17:00"}, "must end after"),
        (
            {"starts_at": "27/3/2027 18:30", "booking_closes_at": "28/3/2027 10:00"},
            "Booking must close before the event starts",
        ),
        ({"capacity": "0"}, "Enter a number of places from 1 to 10,000"),
        ({"capacity": "10001"}, "Enter a number of places from 1 to 10,000"),
        ({"capacity": "forty"}, "Enter the number of places as a number"),
        ({"max_places_per_booking": "11"}, "Enter a number from 1 to 10"),
        ({"capacity": "2", "max_places_per_booking": "3"}, "cannot be more than the number"),
        ({"kind": "rave"}, "Choose the type of event from the list"),
        ({"venue_name": "", "online_link": ""}, "Enter the venue, or an online joining link"),
        ({"online_link": "javascript:alert(1)"}, "Enter the joining link in the correct format"),
        ({"contact_email": "not an address"}, "Enter an email address in the correct format"),
        ({"organisation": "999999"}, "Choose an organisation from the list"),
    ],
)
def test_bad_event_details_show_the_error_summary_and_create_nothing(
    organiser, overrides, message
) -> None:
    response = organiser.post(reverse("events:create"), _event_form(**overrides))
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content
    assert "<title>Error:" in content
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_an_empty_form_shows_every_required_field(organiser) -> None:
    response = organiser.post(reverse("events:create"), {})
    content = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Enter the event name",
        "Enter a summary",
        "Enter the date the event starts",
        "Enter the number of places",
        "Enter a contact email address",
    ):
        assert message in content
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_unicode_details_are_kept(organiser) -> None:
    response = organiser.post(
        reverse("events:create"),
        _event_form(
            title="Cyfarfod digidol Ceredigion \u2013 croeso 👋", venue_name="Neuadd y Dref"
        ),
    )
    assert response.status_code == 302
    assert Event.objects.get().title == "Cyfarfod digidol Ceredigion \u2013 croeso 👋"


@pytest.mark.django_db
def test_edit_changes_the_event_and_shows_dates_in_the_hinted_format(organiser) -> None:
    event = EventFactory(title="Old name")
    form = organiser.get(_url_for("edit", event))
    shown = timezone.localtime(event.starts_at).strftime("%d/%m/%Y %H:%M")
    assert f'value="{shown}"'.encode() in form.content
    response = organiser.post(
        _url_for("edit", event),
        _event_form(
            title="New name",
            starts_at=timezone.localtime(event.starts_at).strftime("%d/%m/%Y %H:%M"),
            ends_at=timezone.localtime(event.ends_at).strftime("%d/%m/%Y %H:%M"),
        ),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "New name"
    assert event.status == "published"


# ---------------------------------------------------------------- publish, cancel, copy, repeat


@pytest.mark.django_db
def test_publish_a_draft(organiser) -> None:
    event = EventFactory(status="draft")
    response = organiser.post(_url_for("publish", event), follow=True)
    event.refresh_from_db()
    assert event.status == "published"
    assert b"Published" in response.content


@pytest.mark.django_db
def test_publish_without_dates_explains_why_not(organiser) -> None:
    event = EventFactory(status="draft", starts_at=None, ends_at=None)
    response = organiser.post(_url_for("publish", event), follow=True)
    event.refresh_from_db()
    assert event.status == "draft"
    assert b"Add a start and end time before publishing" in response.content


@pytest.mark.django_db
def test_a_cancelled_event_cannot_be_published_again(organiser) -> None:
    event = EventFactory(status="cancelled")
    organiser.post(_url_for("publish", event))
    event.refresh_from_db()
    assert event.status == "cancelled"


@pytest.mark.django_db
def test_cancel_tells_everyone_once(organiser, django_capture_on_commit_callbacks) -> None:
    event = EventFactory(capacity=2)
    booked = BookingFactory.create_batch(2, event=event)
    waiting = BookingFactory(event=event, status="waiting")
    gone = BookingFactory(event=event, status="cancelled")
    confirm = organiser.get(_url_for("cancel", event))
    assert b"Are you sure" in confirm.content
    assert b"govuk-button--warning" in confirm.content
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(_url_for("cancel", event), follow=True)
    assert b"We are emailing the 3 people who were booked or waiting" in response.content
    event.refresh_from_db()
    assert event.status == "cancelled"
    statuses = set(
        Booking.objects.filter(pk__in=[b.pk for b in [*booked, waiting]]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {"cancelled"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.email for b in [*booked, waiting])
    assert gone.email not in {m.to[0] for m in mail.outbox}
    with django_capture_on_commit_callbacks(execute=True):
        organiser.post(_url_for("cancel", event))
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_copy_plans_the_next_one(client: Client) -> None:
    user = UserFactory(role=Role.ORGANISER)
    client.force_login(user)
    event = EventFactory(booking_opens_at=timezone.now())
    RegistrationQuestion.objects.create(event=event, text="Dietary needs?", kind="text")
    FeedbackQuestion.objects.create(event=event, text="How was it?", kind="rating")
    BookingFactory(event=event)
    response = client.post(_url_for("copy", event), follow=True)
    copy = Event.objects.exclude(pk=event.pk).get()
    assert response.redirect_chain[-1][0] == _url_for("edit", copy)
    assert b"Copied. Add the new dates, then publish." in response.content
    assert copy.status == "draft" and copy.organiser == user and copy.copied_from == event
    assert copy.starts_at is None and copy.ends_at is None and copy.booking_opens_at is None
    assert list(copy.questions.values_list("text", flat=True)) == ["Dietary needs?"]
    assert list(copy.feedback_questions.values_list("text", flat=True)) == ["How was it?"]
    assert not copy.bookings.exists()


@pytest.mark.django_db
def test_repeat_adds_weekly_sessions(organiser) -> None:
    event = EventFactory(kind="code_club")
    response = organiser.post(_url_for("repeat", event), {"weeks": "3"}, follow=True)
    assert b"Added 3 weekly sessions" in response.content
    sessions = list(Event.objects.exclude(pk=event.pk).order_by("starts_at"))
    assert [s.starts_at - event.starts_at for s in sessions] == [
        timedelta(weeks=1),
        timedelta(weeks=2),
        timedelta(weeks=3),
    ]
    event.refresh_from_db()
    assert all(s.series_id == event.series_id is not None for s in sessions)


@pytest.mark.django_db
@pytest.mark.parametrize("weeks", ["0", "53", "many", ""])
def test_repeat_refuses_a_bad_number_of_weeks(organiser, weeks) -> None:
    event = EventFactory()
    response = organiser.post(_url_for("repeat", event), {"weeks": weeks})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_repeat_an_undated_event_explains_why_not(organiser) -> None:
    event = EventFactory(status="draft", starts_at=None, ends_at=None)
    response = organiser.post(_url_for("repeat", event), {"weeks": "2"})
    assert b"Add a start and end time before repeating the event" in response.content
    assert Event.objects.count() == 1


# ---------------------------------------------------------------- questions


@pytest.mark.django_db
def test_add_and_remove_registration_questions(organiser) -> None:
    event = EventFactory()
    url = _url_for("questions", event)
    organiser.post(url, {"text": "Dietary needs?", "kind": "text", "required": "no"})
    organiser.post(
        url,
        {"text": "Lunch", "kind": "choice", "choices": "Vegan\n\n Meat \r\n", "required": "yes"},
    )
    first, second = RegistrationQuestion.objects.filter(event=event).order_by("position")
    assert (first.text, first.required) == ("Dietary needs?", False)
    assert (second.choice_list, second.required) == (["Vegan", "Meat"], True)
    assert b"Dietary needs?" in organiser.get(url).content
    organiser.post(url, {"remove": str(first.pk)})
    assert list(event.questions.all()) == [second]


@pytest.mark.django_db
def test_a_choice_question_needs_choices(organiser) -> None:
    event = EventFactory()
    response = organiser.post(
        _url_for("questions", event), {"text": "Lunch", "kind": "choice", "required": "yes"}
    )
    assert b"Enter at least 2 choices" in response.content
    assert not RegistrationQuestion.objects.exists()


@pytest.mark.django_db
def test_at_most_five_registration_questions(organiser) -> None:
    event = EventFactory()
    url = _url_for("questions", event)
    for n in range(6):
        organiser.post(url, {"text": f"Question {n}", "kind": "text", "required": "no"})
    assert event.questions.count() == 5
    assert b"the most you can ask" in organiser.get(url).content


@pytest.mark.django_db
def test_questions_of_another_event_cannot_be_removed(organiser) -> None:
    event, other = EventFactory(), EventFactory()
    question = RegistrationQuestion.objects.create(event=other, text="Access needs?", kind="text")
    response = organiser.post(_url_for("questions", event), {"remove": str(question.pk)})
    assert response.status_code == 404
    assert RegistrationQuestion.objects.filter(pk=question.pk).exists()


@pytest.mark.django_db
def test_feedback_questions_up_to_ten(organiser) -> None:
    event = EventFactory()
    url = _url_for("feedback_questions", event)
    organiser.post(url, {"text": "How useful was it?", "kind": "rating"})
    response = organiser.post(url, {"text": "", "kind": "opinion"})
    assert b"Enter the question" in response.content
    assert b"Choose the type of answer" in response.content
    for n in range(12):
        organiser.post(url, {"text": f"Anything else {n}?", "kind": "text"})
    assert event.feedback_questions.count() == 10
    assert event.feedback_questions.first().kind == "rating"


# ---------------------------------------------------------------- attendees and exports


def _attendees_with_answers() -> tuple[Event, RegistrationQuestion]:
    event = EventFactory()
    question = RegistrationQuestion.objects.create(event=event, text="Dietary needs?", kind="text")
    yes_no = RegistrationQuestion.objects.create(event=event, text="Parking?", kind="yes_no")
    BookingFactory(
        event=event,
        name="Zara Ahmed",
        email="zara@example.org",
        organisation_name='=HYPERLINK("http://evil.example")',
        answers={str(question.pk): "@SUM(A1:A9)", str(yes_no.pk): "yes"},
        checked_in_at=timezone.now(),
    )
    BookingFactory(event=event, name="ada Łukasiewicz", email="ada@example.org", places=2)
    BookingFactory(event=event, name="Not Coming", status="cancelled")
    BookingFactory(event=event, name="Still Waiting", status="waiting")
    return event, question


@pytest.mark.django_db
def test_attendee_list_shows_confirmed_bookings_by_name(organiser) -> None:
    event, _question = _attendees_with_answers()
    response = organiser.get(_url_for("attendees", event))
    content = response.content.decode()
    assert content.index("ada Łukasiewicz") < content.index("Zara Ahmed")
    assert "Not Coming" not in content and "Still Waiting" not in content
    assert "Dietary needs?" in content and "@SUM(A1:A9)" in content
    assert _url_for("export", event, fmt="csv") in content
    assert _url_for("export", event, fmt="xlsx") in content


@pytest.mark.django_db
def test_attendee_csv_has_the_right_rows_and_no_formulas(organiser) -> None:
    event, _question = _attendees_with_answers()
    response = organiser.get(_url_for("export", event, fmt="csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "Email",
        "Organisation",
        "Places",
        "Reference",
        "Dietary needs?",
        "Parking?",
        "Checked in",
        "Walk-in",
    ]
    assert [row[0] for row in rows[1:]] == ["ada Łukasiewicz", "Zara Ahmed"]
    zara = rows[2]
    assert zara[2] == '\'=HYPERLINK("http://evil.example")'
    assert zara[5:9] == ["'@SUM(A1:A9)", "Yes", "Yes", "No"]
    assert rows[1][3] == "2"


@pytest.mark.django_db
def test_attendee_xlsx_has_the_right_rows_and_no_formulas(organiser) -> None:
    event, _question = _attendees_with_answers()
    response = organiser.get(_url_for("export", event, fmt="xlsx"))
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Name" and len(rows) == 3
    assert rows[1][0] == "ada Łukasiewicz" and rows[1][3] == 2
    assert rows[2][2] == '\'=HYPERLINK("http://evil.example")'
    assert rows[2][5] == "'@SUM(A1:A9)"
    assert all(
        cell.data_type != "f" for row in sheet.iter_rows() for cell in row if cell.value is not None
    )


# ---------------------------------------------------------------- waiting list


@pytest.mark.django_db
def test_waiting_list_move_up_and_down(organiser) -> None:
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    first, second, third = (
        BookingFactory(event=event, status="waiting", name=name, queue_position=n)
        for n, name in [(10, "First"), (11, "Second"), (12, "Third")]
    )
    url = _url_for("waiting_list", event)

    def shown() -> list[str]:
        return [booking.name for booking in organiser.get(url).context["waiting"]]

    assert shown() == ["First", "Second", "Third"]
    organiser.post(url, {"booking": third.pk, "action": "up"})
    assert shown() == ["First", "Third", "Second"]
    organiser.post(url, {"booking": first.pk, "action": "down"})
    assert shown() == ["Third", "First", "Second"]
    # The first cannot go further up: nothing changes, nothing breaks.
    assert organiser.post(url, {"booking": third.pk, "action": "up"}).status_code == 302
    assert shown() == ["Third", "First", "Second"]
    assert second.status == "waiting"


@pytest.mark.django_db
def test_offer_a_place_by_hand(organiser, django_capture_on_commit_callbacks) -> None:
    event = EventFactory(capacity=2)
    BookingFactory(event=event)
    waiting = BookingFactory(event=event, status="waiting", name="Lucky Person")
    url = _url_for("waiting_list", event)
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(url, {"booking": waiting.pk, "action": "offer"}, follow=True)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    assert b"Offered a place to Lucky Person" in response.content
    assert [m.to[0] for m in mail.outbox] == [waiting.email]
    assert b"Offered a place, waiting for an answer" in response.content


@pytest.mark.django_db
def test_offer_when_full_explains_why_not(organiser) -> None:
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    waiting = BookingFactory(event=event, status="waiting")
    response = organiser.post(
        _url_for("waiting_list", event), {"booking": waiting.pk, "action": "offer"}, follow=True
    )
    waiting.refresh_from_db()
    assert waiting.status == "waiting"
    assert b"No places are free" in response.content


@pytest.mark.django_db
def test_bookings_of_another_event_are_not_found(organiser) -> None:
    event = EventFactory()
    elsewhere = BookingFactory(status="waiting")
    for name, action in [("waiting_list", "offer"), ("check_in", "check_in")]:
        response = organiser.post(
            _url_for(name, event), {"booking": elsewhere.pk, "action": action}
        )
        assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == "waiting"


# ---------------------------------------------------------------- on the day


@pytest.mark.django_db
def test_check_in_search_by_name_email_and_reference(organiser) -> None:
    event = EventFactory()
    grace = BookingFactory(
        event=event, name="Grace Hopper", email="grace@navy.example", reference="QZ7WK3PR"
    )
    BookingFactory(event=event, name="Alan Turing", email="alan@example.org")
    BookingFactory(event=event, name="Grace Waiting", status="waiting")
    url = _url_for("check_in", event)
    for query in ["grace", "NAVY.example", grace.reference.lower()]:
        content = organiser.get(url, {"q": query}).content.decode()
        assert "Grace Hopper" in content, query
        assert "Alan Turing" not in content and "Grace Waiting" not in content
    # A reference must match whole: part of one finds nobody.
    assert organiser.get(url, {"q": "QZ7W"}).context["results"] == []


@pytest.mark.django_db
def test_a_too_long_search_is_explained(organiser) -> None:
    event = EventFactory()
    response = organiser.get(_url_for("check_in", event), {"q": "x" * 151})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Search for 150 characters or fewer" in response.content


@pytest.mark.django_db
def test_check_in_and_undo(organiser) -> None:
    event = EventFactory(on_the_day=True)
    booking = BookingFactory(event=event, name="Grace Hopper")
    BookingFactory(event=event)
    url = _url_for("check_in", event)
    assert "0</strong> of 2 places checked in" in organiser.get(url).content.decode()
    response = organiser.post(url, {"booking": booking.pk, "action": "check_in", "q": "grace"})
    assert response["Location"] == f"{url}?q=grace"
    booking.refresh_from_db()
    assert booking.checked_in_at is not None
    assert "1</strong> of 2 places checked in" in organiser.get(url).content.decode()
    organiser.post(url, {"booking": booking.pk, "action": "undo"})
    booking.refresh_from_db()
    assert booking.checked_in_at is None


@pytest.mark.django_db
def test_scanning_the_check_in_code(organiser) -> None:
    event = EventFactory(on_the_day=True)
    booking = BookingFactory(event=event, name="Grace Hopper")
    url = _url_for("check_in_scan", event, reference=booking.reference)
    page = organiser.get(url)
    assert b"Grace Hopper" in page.content and booking.reference.encode() in page.content
    assert b">Check in</button>" in page.content
    response = organiser.post(url, follow=True)
    assert response.redirect_chain[-1][0] == _url_for("check_in", event)
    assert b"Checked in Grace Hopper" in response.content
    booking.refresh_from_db()
    assert booking.checked_in_at is not None


@pytest.mark.django_db
def test_scanning_a_cancelled_booking_does_not_check_it_in(organiser) -> None:
    event = EventFactory()
    booking = BookingFactory(event=event, status="cancelled")
    url = _url_for("check_in_scan", event, reference=booking.reference)
    assert b"does not have a place" in organiser.get(url).content
    organiser.post(url)
    booking.refresh_from_db()
    assert booking.checked_in_at is None


@pytest.mark.django_db
def test_scan_of_an_unknown_or_other_events_reference_is_not_found(organiser) -> None:
    event = EventFactory()
    elsewhere = BookingFactory()
    for reference in ["NOSUCHREF", elsewhere.reference]:
        url = _url_for("check_in_scan", event, reference=reference)
        assert organiser.get(url).status_code == 404
        assert organiser.post(url).status_code == 404


@pytest.mark.django_db
def test_record_a_walk_in(organiser) -> None:
    event = EventFactory(on_the_day=True)
    response = organiser.post(
        _url_for("walk_in", event), {"name": " Sam Smith ", "email": "", "places": "2"}
    )
    assert response["Location"] == _url_for("check_in", event)
    walk_in = Booking.objects.get(event=event)
    assert (walk_in.name, walk_in.places, walk_in.is_walk_in) == ("Sam Smith", 2, True)
    assert walk_in.checked_in_at is not None and walk_in.status == "confirmed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "places": "1"}, "Enter the person&#x27;s name"),
        ({"name": "Sam", "places": "11"}, "Enter a number of people from 1 to 10"),
        ({"name": "Sam", "email": "sam@", "places": "1"}, "Enter an email address"),
        ({"name": "Sam", "email": "booked@example.org", "places": "1"}, "already booked"),
    ],
)
def test_walk_in_mistakes_are_explained(organiser, data, message) -> None:
    event = EventFactory(on_the_day=True)
    BookingFactory(event=event, email="booked@example.org")
    response = organiser.post(_url_for("walk_in", event), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Booking.objects.filter(event=event).count() == 1


# ---------------------------------------------------------------- feedback


@pytest.mark.django_db
def test_feedback_results_count_ratings_and_list_answers(organiser) -> None:
    event = EventFactory()
    rating = FeedbackQuestion.objects.create(event=event, text="How useful?", kind="rating")
    text = FeedbackQuestion.objects.create(event=event, text="What could be better?", kind="text")
    came = BookingFactory.create_batch(4, event=event, checked_in_at=timezone.now())
    for booking, answers in zip(
        came,
        [
            {str(rating.pk): 5, str(text.pk): "More coffee"},
            {str(rating.pk): 4},
            {str(rating.pk): 5, str(text.pk): "=cmd|' /C calc'!A0"},
        ],
        strict=False,
    ):
        FeedbackResponse.objects.create(booking=booking, answers=answers)
    response = organiser.get(_url_for("feedback_results", event))
    summary = response.context["summary"]
    assert summary.responses == 3
    assert summary.response_rate == 75
    ratings, texts = summary.results
    assert ratings.average == 4.7
    assert {r: n for r, _label, n in ratings.rating_counts} == {5: 2, 4: 1, 3: 0, 2: 0, 1: 0}
    assert texts.text_answers == ["More coffee", "=cmd|' /C calc'!A0"]
    assert b"More coffee" in response.content

    export = organiser.get(_url_for("feedback_export", event, fmt="csv"))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["Submitted", "How useful?", "What could be better?"]
    assert [row[1:] for row in rows[1:]] == [
        ["5", "More coffee"],
        ["4", ""],
        ["5", "'=cmd|' /C calc'!A0"],
    ]
    sheet = load_workbook(
        io.BytesIO(organiser.get(_url_for("feedback_export", event, fmt="xlsx")).content)
    ).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [5, 4, 5]


# ---------------------------------------------------------------- overview and list


@pytest.mark.django_db
def test_overview_counts(organiser) -> None:
    event = EventFactory(capacity=10, starts_at=timezone.now() - timedelta(hours=3))
    BookingFactory(event=event, places=3, checked_in_at=timezone.now())
    BookingFactory(event=event, places=2)
    BookingFactory(event=event, status="waiting")
    BookingFactory(event=event, status="offered", places=1)
    response = organiser.get(_url_for("overview", event))
    counts = response.context["counts"]
    assert (counts.booked_places, counts.waiting_bookings, counts.offered_bookings) == (5, 1, 1)
    assert (counts.checked_in_places, counts.not_checked_in_places) == (3, 2)
    content = response.content.decode()
    assert "5 of 10" in content
    assert "No-shows" in content  # the event has ended
    assert response.context["event"].places_left == 4


@pytest.mark.django_db
def test_manage_list_shows_upcoming_then_past(organiser) -> None:
    now = timezone.now()
    EventFactory(title="Last month", starts_at=now - timedelta(days=30))
    EventFactory(title="Next month", starts_at=now + timedelta(days=30))
    EventFactory(title="Tomorrow", starts_at=now + timedelta(days=1))
    EventFactory(title="Last week", starts_at=now - timedelta(days=7))
    EventFactory(title="Undated draft", status="draft", starts_at=None, ends_at=None)
    content = organiser.get(reverse("events:manage_list")).content.decode()
    positions = [
        content.index(t)
        for t in ["Undated draft", "Tomorrow", "Next month", "Last week", "Last month"]
    ]
    assert positions == sorted(positions)
    assert "Create an event" in content


@pytest.mark.django_db
def test_list_pages_make_the_same_queries_however_much_data(organiser) -> None:
    EventFactory.create_batch(5)
    assert_flat_query_count(
        organiser, reverse("events:manage_list"), lambda: EventFactory.create_batch(45)
    )

    event = EventFactory()
    RegistrationQuestion.objects.create(event=event, text="Dietary needs?", kind="text")
    BookingFactory.create_batch(5, event=event)
    assert_flat_query_count(
        organiser,
        _url_for("attendees", event),
        lambda: BookingFactory.create_batch(45, event=event),
    )
    BookingFactory.create_batch(5, event=event, status="waiting")
    assert_flat_query_count(
        organiser,
        _url_for("waiting_list", event),
        lambda: (
            BookingFactory.create_batch(40, event=event, status="waiting"),
            BookingFactory.create_batch(5, event=event, status="offered"),
        ),
    )
    assert_flat_query_count(
        organiser,
        _url_for("check_in", event),
        lambda: BookingFactory.create_batch(45, event=event),
    )


@pytest.mark.django_db
def test_repeating_weeks_the_series_already_has_says_so(organiser) -> None:
    event = EventFactory(kind="code_club")
    organiser.post(_url_for("repeat", event), {"weeks": "2"})
    response = organiser.post(_url_for("repeat", event), {"weeks": "2"}, follow=True)
    assert b"already has a session in each of those weeks" in response.content
    assert Event.objects.count() == 3


@pytest.mark.django_db
def test_edit_refuses_fewer_places_than_are_booked(organiser) -> None:
    from fingerpost.events import services

    event = EventFactory(capacity=10)
    for n in range(4):
        services.book_places(event_id=event.pk, name=f"P{n}", email=f"p{n}@example.org")
    response = organiser.post(
        _url_for("edit", event),
        _event_form(
            capacity="3",
            starts_at=timezone.localtime(event.starts_at).strftime("%d/%m/%Y %H:%M"),
            ends_at=timezone.localtime(event.ends_at).strftime("%d/%m/%Y %H:%M"),
        ),
    )
    assert response.status_code == 200
    assert b"4 places are already booked or offered" in response.content
    event.refresh_from_db()
    assert event.capacity == 10


@pytest.mark.django_db
def test_the_admin_site_cannot_cancel_silently_or_shrink_below_bookings() -> None:
    from django.test import Client

    from fingerpost.accounts.roles import Role
    from fingerpost.events import services

    from ..factories import UserFactory

    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    event = EventFactory(capacity=10)
    for n in range(4):
        services.book_places(event_id=event.pk, name=f"P{n}", email=f"p{n}@example.org")
    page = client.get(f"/admin/events/event/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "capacity": "3",
            "starts_at_0": timezone.localtime(event.starts_at).strftime("%Y-%m-%d"),
            "starts_at_1": timezone.localtime(event.starts_at).strftime("%H:%M:%S"),
        }
    )
    for prefix in ("questions", "feedback_questions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 200
    assert b"4 places are already booked or offered" in response.content
    event.refresh_from_db()
    assert event.capacity == 10 and event.status == "published"


@pytest.mark.django_db
def test_a_double_submitted_walk_in_form_records_one_person(organiser) -> None:
    import re

    event = EventFactory(on_the_day=True, capacity=10)
    page = organiser.get(_url_for("walk_in", event)).content.decode()
    key = re.search(r'name="submission_key" value="(walk-in:[0-9a-f]+)"', page).group(1)
    data = {"name": "Sam Smith", "email": "", "places": "2", "submission_key": key}
    assert organiser.post(_url_for("walk_in", event), data).status_code == 302
    assert organiser.post(_url_for("walk_in", event), data).status_code == 302
    assert Booking.objects.filter(event=event).count() == 1
