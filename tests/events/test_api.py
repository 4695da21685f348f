"""The events API: finding and booking events, cancelling by token, and the
organiser lists behind token (or session) authentication."""

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import event as hypothesis_event
from hypothesis import strategies as st

from fingerpost.accounts.roles import Role
from fingerpost.core import api_auth
from fingerpost.events import services
from fingerpost.events.models import Booking, BookingStatus, RegistrationQuestion

from ..factories import BookingFactory, EventFactory, UserFactory
from ..querycount import assert_flat_query_count

API = "/api/v1/events"


def book(client: Client, event_id: object, body: dict, **headers: str):
    return client.post(
        f"{API}/{event_id}/bookings",
        json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def person(n: int, **extra: object) -> dict:
    return {"name": f"Person {n}", "email": f"person{n}@example.org", **extra}


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_auth.issue_api_token(user)}"}


# ---------------------------------------------------------------- listing and detail


@pytest.mark.django_db
def test_list_shows_upcoming_published_events_with_their_counts(
    client: Client, settings: Any
) -> None:
    event = EventFactory(title="Networking", capacity=3)
    BookingFactory.create_batch(2, event=event)
    BookingFactory(event=event, status=BookingStatus.WAITING, confirmed_at=None)
    EventFactory(title="Draft", status="draft")
    EventFactory(title="Cancelled", status="cancelled")
    past = EventFactory(title="Past")
    past.starts_at = past.starts_at.replace(year=past.starts_at.year - 1)
    past.ends_at = past.ends_at.replace(year=past.ends_at.year - 1)
    past.save()

    settings.FINGERPOST_SITE_URL = "https://events.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    # The link comes from the site's address, not the Host the caller sent.
    response = client.get(f"{API}/", HTTP_HOST="elsewhere.example.net")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == event.pk
    assert item["title"] == "Networking"
    assert item["capacity"] == 3
    assert item["places_left"] == 1
    assert item["waiting_list_length"] == 1
    assert item["booking_open"] is True
    assert item["url"] == f"https://events.example.org/events/{event.pk}/"
    assert {"summary", "kind", "audience", "starts_at", "ends_at", "venue_name"} <= set(item)


@pytest.mark.django_db
def test_list_filters_by_kind_and_audience(client: Client) -> None:
    EventFactory(title="Staff networking", kind="networking", audience="staff")
    EventFactory(title="Code club", kind="code_club", audience="public")

    def titles(**params: str) -> list[str]:
        return [item["title"] for item in client.get(f"{API}/", params).json()["items"]]

    assert titles(kind="code_club") == ["Code club"]
    assert titles(audience="staff") == ["Staff networking"]
    assert client.get(f"{API}/", {"kind": "party"}).status_code == 422


@pytest.mark.django_db
def test_detail_has_description_questions_and_counts(client: Client) -> None:
    event = EventFactory(
        capacity=2, max_places_per_booking=2, online_link="https://meet.example.org/secret"
    )
    BookingFactory(event=event, places=2)
    BookingFactory(event=event, status=BookingStatus.WAITING, confirmed_at=None)
    question = RegistrationQuestion.objects.create(
        event=event, text="Lunch?", kind="choice", choices="Vegan\nAnything\n", required=True
    )

    body = client.get(f"{API}/{event.pk}").json()

    assert body["description"] == event.description
    assert body["venue_address"] == event.venue_address
    assert body["venue_accessibility"] == event.venue_accessibility
    assert body["max_places_per_booking"] == 2
    assert body["places_left"] == 0
    assert body["waiting_list_length"] == 1
    assert body["booking_open"] is True
    assert body["questions"] == [
        {
            "id": question.pk,
            "text": "Lunch?",
            "kind": "choice",
            "choices": ["Vegan", "Anything"],
            "required": True,
        }
    ]
    # The joining link is only for people with a place; the API says it is online.
    assert body["online"] is True
    assert "secret" not in json.dumps(body)


@pytest.mark.django_db
def test_drafts_are_hidden_and_cancelled_events_say_so(client: Client) -> None:
    draft = EventFactory(status="draft")
    cancelled = EventFactory(status="cancelled")
    response = client.get(f"{API}/{draft.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    body = client.get(f"{API}/{cancelled.pk}").json()
    assert body["status"] == "cancelled"
    assert body["booking_open"] is False


# ---------------------------------------------------------------- booking


@pytest.mark.django_db
def test_booking_a_place_returns_201_with_the_reference_and_private_token(client: Client) -> None:
    event = EventFactory(capacity=5)
    response = book(client, event.pk, person(1, organisation="Dorset Council"))
    assert response.status_code == 201
    body = response.json()
    booking = Booking.objects.get(event=event)
    assert body == {
        "reference": booking.reference,
        "status": "confirmed",
        "waiting_position": None,
        "places": 1,
        "manage_token": booking.token,
    }
    assert (booking.name, booking.email, booking.organisation_name) == (
        "Person 1",
        "person1@example.org",
        "Dorset Council",
    )


@pytest.mark.django_db
def test_a_full_event_puts_people_on_the_waiting_list_in_order(client: Client) -> None:
    event = EventFactory(capacity=1)
    assert book(client, event.pk, person(1)).json()["status"] == "confirmed"
    second = book(client, event.pk, person(2)).json()
    third = book(client, event.pk, person(3)).json()
    assert (second["status"], second["waiting_position"]) == ("waiting", 1)
    assert (third["status"], third["waiting_position"]) == ("waiting", 2)
    assert client.get(f"{API}/{event.pk}").json()["waiting_list_length"] == 2


@pytest.mark.django_db
def test_repeating_an_idempotency_key_returns_the_same_booking(client: Client) -> None:
    event = EventFactory(capacity=5)
    first = book(client, event.pk, person(1), **{"Idempotency-Key": "attempt-1"})
    retry = book(client, event.pk, person(1), **{"Idempotency-Key": "attempt-1"})
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert retry.json()["manage_token"]  # the same client, so it may have the token
    assert Booking.objects.filter(event=event).count() == 1
    # Stored in the client's own namespace, never as sent.
    assert Booking.objects.get().idempotency_key.startswith("api:")


@pytest.mark.django_db(transaction=True)
def test_booking_again_with_a_booked_address_reveals_nothing_about_that_booking(
    client: Client,
) -> None:
    from django.core import mail

    event = EventFactory(capacity=5)
    first = book(client, event.pk, person(1)).json()
    mail.outbox.clear()
    again = book(client, event.pk, person(1, name="Someone Else", places=1))
    # Knowing someone's email address gets you neither their booking nor its
    # token, nor even that it exists: the answer looks like a new booking.
    assert again.status_code == 201
    assert set(again.json()) == set(first)
    assert first["reference"] not in again.content.decode()
    assert first["manage_token"] not in again.content.decode()
    # The holder is told, once a day however often someone tries.
    book(client, event.pk, person(1, name="Someone Else"))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person(1)["email"]]
    # Nor does reusing someone else's key with a different address.
    keyed = book(client, event.pk, person(2), **{"Idempotency-Key": "k"}).json()
    other = book(client, event.pk, person(3), **{"Idempotency-Key": "k"})
    assert other.status_code == 201 and keyed["reference"] not in other.content.decode()
    # The client that made a booking gets it back by repeating its key.
    retry = book(client, event.pk, person(2), **{"Idempotency-Key": "k"})
    assert retry.status_code == 200 and retry.json()["manage_token"]
    assert Booking.objects.filter(event=event).count() == 2


@pytest.mark.django_db
def test_booking_rules_broken_are_422_with_the_message(client: Client) -> None:
    event = EventFactory(capacity=5, max_places_per_booking=2)
    response = book(client, event.pk, person(1, places=3))
    assert response.status_code == 422
    assert response.json() == {"detail": "You can book between 1 and 2 places"}
    cancelled = EventFactory(status="cancelled")
    closed = book(client, cancelled.pk, person(2))
    assert closed.status_code == 422
    assert closed.json() == {"detail": "Booking is closed for this event"}
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_booking_a_draft_or_missing_event_is_404(client: Client) -> None:
    draft = EventFactory(status="draft")
    assert book(client, draft.pk, person(1)).status_code == 404
    assert book(client, 999_999, person(1)).status_code == 404
    assert not Booking.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (person(1, email="not-an-address"), "correct format"),
        (person(1, email="a@b@example.org"), "correct format"),
        (person(1, name="\u200b \u200b"), "Enter your name"),
    ],
)
def test_bad_details_are_422_with_a_clear_message(client: Client, body: dict, message: str) -> None:
    event = EventFactory()
    response = book(client, event.pk, body)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_an_idempotency_key_over_64_characters_is_refused(client: Client) -> None:
    event = EventFactory()
    response = book(client, event.pk, person(1), **{"Idempotency-Key": "k" * 65})
    assert response.status_code == 422
    assert "64 characters" in response.json()["detail"]
    # PostgreSQL cannot store a NUL character: refused before it gets there.
    response = book(client, event.pk, person(1), **{"Idempotency-Key": "k\x00"})
    assert response.status_code == 422
    assert "printable" in response.json()["detail"]
    assert book(client, event.pk, person(1), **{"Idempotency-Key": "k" * 64}).status_code == 201


@pytest.mark.django_db
def test_answers_are_checked_against_the_events_questions(client: Client) -> None:
    event = EventFactory()
    access = RegistrationQuestion.objects.create(
        event=event, text="Any access needs?", kind="yes_no", required=True
    )
    lunch = RegistrationQuestion.objects.create(
        event=event, text="Lunch choice", kind="choice", choices="Vegan\nAnything"
    )
    notes = RegistrationQuestion.objects.create(event=event, text="Anything else?", kind="text")
    other_event_question = RegistrationQuestion.objects.create(
        event=EventFactory(), text="Elsewhere", kind="text"
    )

    def refused(answers: dict) -> str:
        response = book(client, event.pk, person(1, answers=answers))
        assert response.status_code == 422, response.content
        return response.json()["detail"]

    assert "Any access needs?" in refused({})
    assert "Any access needs?" in refused({str(access.pk): "maybe"})
    assert "Lunch choice" in refused({str(access.pk): "no", str(lunch.pk): "Fish"})
    assert "no question" in refused({str(access.pk): "no", str(other_event_question.pk): "x"})
    assert "Anything else?" in refused({str(access.pk): "no", str(notes.pk): "x" * 501})
    assert not Booking.objects.exists()

    response = book(
        client,
        event.pk,
        person(1, answers={str(access.pk): "Yes", str(lunch.pk): "Vegan", str(notes.pk): " "}),
    )
    assert response.status_code == 201
    assert Booking.objects.get().answers == {str(access.pk): "yes", str(lunch.pk): "Vegan"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"{API}/abc/bookings", json.dumps(person(1))),
        (f"{API}/-1/bookings", json.dumps(person(1))),
        (f"{API}/{10**30}/bookings", json.dumps(person(1))),
        (f"{API}/{2**63}/bookings", json.dumps(person(1))),
        (f"{API}/%C3%A9v%C3%A9nement/bookings", json.dumps(person(1))),
        ("EVENT/bookings", "{not json"),
        ("EVENT/bookings", "[1, 2]"),
        ("EVENT/bookings", '"just a string"'),
        ("EVENT/bookings", json.dumps({"name": None, "email": 5})),
        ("EVENT/bookings", json.dumps(person(1, places="lots"))),
        ("EVENT/bookings", json.dumps(person(1, places=10**40))),
        ("EVENT/bookings", json.dumps(person(1, places=-1))),
        ("EVENT/bookings", json.dumps(person(1, answers=[1, 2]))),
        ("EVENT/bookings", json.dumps(person(1, answers={"1": {"deep": True}}))),
        ("EVENT/bookings", json.dumps(person(1, name="x" * 151))),
        ("EVENT/bookings", json.dumps(person(1, email="a\x00b@example.org"))),
        ("EVENT/bookings", ""),
    ],
)
def test_malformed_requests_are_4xx_json_never_500(client: Client, path: str, body: str) -> None:
    event = EventFactory()
    path = path.replace("EVENT", f"{API}/{event.pk}")
    response = client.post(path, body, content_type="application/json")
    assert 400 <= response.status_code < 500, response.content
    assert "detail" in response.json()
    assert not Booking.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"{API}/abc",
        f"{API}/0",
        f"{API}/{10**30}",
        f"{API}/%F0%9F%98%80",
        f"{API}/?limit=0",
        f"{API}/?limit=lots",
        f"{API}/?offset={10**30}",
        f"{API}/?limit={10**30}",
        f"{API}/bookings/%00/cancel",
    ],
)
def test_bad_paths_and_paging_are_4xx_json_never_500(client: Client, path: str) -> None:
    EventFactory()
    method = client.post if path.endswith("/cancel") else client.get
    response = method(path)
    assert 400 <= response.status_code < 500, response.content
    assert "detail" in response.json()


# Text a person (or a fuzzer) might send: empty, long, control and astral characters.
awkward_text = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=140, max_size=300),
    st.just("😀" * 80),
    st.just("Robert'); DROP TABLE events_booking;--"),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | awkward_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_booking_body_gets_a_json_answer_never_a_500(
    client: Client, data: st.DataObject
) -> None:
    event = EventFactory(capacity=2, max_places_per_booking=2)
    question = RegistrationQuestion.objects.create(
        event=event, text="Lunch choice", kind="choice", choices="Vegan\nAnything"
    )
    answer_keys = st.one_of(st.just(str(question.pk)), st.text(max_size=12))
    body = data.draw(
        st.fixed_dictionaries(
            {
                "name": st.one_of(awkward_text, json_values),
                "email": st.one_of(st.emails(), awkward_text, json_values),
            },
            optional={
                "organisation": st.one_of(awkward_text, json_values),
                "places": st.one_of(st.integers(), json_values),
                "answers": st.one_of(
                    st.dictionaries(
                        answer_keys, st.one_of(st.sampled_from(["Vegan", "Fish"]), awkward_text)
                    ),
                    json_values,
                ),
            },
        )
    )
    key = data.draw(st.one_of(st.none(), st.text(max_size=80)))
    headers = {} if key is None else {"Idempotency-Key": key}

    response = book(client, event.pk, body, **headers)
    hypothesis_event(f"status {response.status_code}")  # see --hypothesis-show-statistics

    assert response.status_code in {200, 201, 400, 422}, response.content
    if response.status_code >= 400:
        assert "detail" in response.json()
    else:
        assert response.json()["status"] in {"confirmed", "waiting"}


# ---------------------------------------------------------------- cancelling


@pytest.mark.django_db
def test_cancelling_by_token_frees_the_place_for_the_first_person_waiting(client: Client) -> None:
    event = EventFactory(capacity=1)
    mine = book(client, event.pk, person(1)).json()
    book(client, event.pk, person(2))
    book(client, event.pk, person(3))

    response = client.post(f"{API}/bookings/{mine['manage_token']}/cancel")

    assert response.status_code == 200
    assert response.json() == {"reference": mine["reference"], "status": "cancelled"}
    statuses = dict(Booking.objects.filter(event=event).values_list("email", "status"))
    assert statuses == {
        "person1@example.org": "cancelled",
        "person2@example.org": "offered",
        "person3@example.org": "waiting",
    }
    # Cancelling again changes nothing and says so.
    again = client.post(f"{API}/bookings/{mine['manage_token']}/cancel")
    assert again.json()["status"] == "cancelled"
    assert Booking.objects.get(email="person2@example.org").status == "offered"


@pytest.mark.django_db
def test_cancelling_with_an_unknown_token_is_404(client: Client) -> None:
    BookingFactory()
    for token in ["nope", "x" * 65, "%F0%9F%98%80", "a.b"]:
        response = client.post(f"{API}/bookings/{token}/cancel")
        assert response.status_code == 404, token
        assert "detail" in response.json()
    assert Booking.objects.get().status == "confirmed"


# ---------------------------------------------------------------- changing places


@pytest.mark.django_db
def test_fewer_places_by_token_offers_the_freed_one_to_the_first_person_waiting(
    client: Client,
) -> None:
    event = EventFactory(capacity=3, max_places_per_booking=3)
    mine = book(client, event.pk, {**person(1), "places": 3}).json()
    book(client, event.pk, person(2))

    url = f"{API}/bookings/{mine['manage_token']}/places"
    response = client.post(url, {"places": 2}, content_type="application/json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["reference"], body["status"], body["places"]) == (
        mine["reference"],
        "confirmed",
        2,
    )
    assert body["manage_token"] is None
    assert Booking.objects.get(email="person2@example.org").status == "offered"


@pytest.mark.django_db
def test_more_places_than_are_free_is_409_and_changes_nothing(client: Client) -> None:
    event = EventFactory(capacity=3, max_places_per_booking=4)
    mine = book(client, event.pk, person(1)).json()
    book(client, event.pk, person(2))
    url = f"{API}/bookings/{mine['manage_token']}/places"

    too_many = client.post(url, {"places": 3}, content_type="application/json")
    out_of_range = client.post(url, {"places": 5}, content_type="application/json")
    not_a_number = client.post(url, {"places": "lots"}, content_type="application/json")

    assert too_many.status_code == 409
    assert "only 1 more place free" in too_many.json()["detail"]
    assert out_of_range.status_code == 422
    assert "from 1 to 4" in str(out_of_range.json()["detail"])
    assert not_a_number.status_code == 422
    assert Booking.objects.get(email="person1@example.org").places == 1


@pytest.mark.django_db
def test_changing_places_with_an_unknown_token_is_404(client: Client) -> None:
    BookingFactory()
    for token in ["nope", "x" * 65, "a.b"]:
        response = client.post(
            f"{API}/bookings/{token}/places", {"places": 2}, content_type="application/json"
        )
        assert response.status_code == 404, token
    assert Booking.objects.get().places == 1


# ---------------------------------------------------------------- organisers


@pytest.fixture
def event_with_people(db: None):
    event = EventFactory(capacity=2)
    for n in range(1, 5):
        services.book_places(
            event_id=event.pk, name=f"Person {n}", email=f"p{n}@example.org", organisation_name="DC"
        )
    return event


ORGANISER_PATHS = ["attendees", "waiting-list"]


@pytest.mark.django_db
@pytest.mark.parametrize("which", ORGANISER_PATHS)
def test_organiser_lists_need_a_token(client: Client, event_with_people, which: str) -> None:
    url = f"{API}/{event_with_people.pk}/{which}"
    assert client.get(url).status_code == 401
    for header in ["Bearer nonsense", "Bearer ", "Basic abc", "Bearer " + "x" * 5000]:
        response = client.get(url, headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.django_db
@pytest.mark.parametrize("which", ORGANISER_PATHS)
@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION])
def test_organiser_lists_are_403_for_other_roles(
    client: Client, event_with_people, which: str, role: str
) -> None:
    response = client.get(
        f"{API}/{event_with_people.pk}/{which}", headers=bearer(UserFactory(role=role))
    )
    assert response.status_code == 403
    assert "organisers" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("which", ORGANISER_PATHS)
def test_another_organisations_event_is_not_found_for_a_coordinator(
    client: Client, event_with_people, which: str
) -> None:
    response = client.get(
        f"{API}/{event_with_people.pk}/{which}",
        headers=bearer(UserFactory(role=Role.COORDINATOR)),
    )
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ORGANISER, Role.ADMIN])
def test_organisers_see_attendees_and_the_waiting_list(
    client: Client, event_with_people, role: str
) -> None:
    event = event_with_people
    Booking.objects.filter(email="p1@example.org").update(checked_in_at="2030-01-01T10:00Z")
    headers = bearer(UserFactory(role=role))

    attendees = client.get(f"{API}/{event.pk}/attendees", headers=headers)
    waiting = client.get(f"{API}/{event.pk}/waiting-list", headers=headers)

    assert attendees.status_code == 200
    assert [(a["name"], a["email"], a["organisation"], a["places"], a["checked_in"])
            for a in attendees.json()["items"]] == [
        ("Person 1", "p1@example.org", "DC", 1, True),
        ("Person 2", "p2@example.org", "DC", 1, False),
    ]  # fmt: skip
    assert waiting.status_code == 200
    items = waiting.json()["items"]
    assert [(w["position"], w["email"]) for w in items] == [
        (1, "p3@example.org"),
        (2, "p4@example.org"),
    ]
    assert {"reference", "name", "places", "joined_at"} <= set(items[0])
    # Positions are in the whole queue, not the page.
    page = client.get(f"{API}/{event.pk}/waiting-list", {"offset": 1}, headers=headers).json()
    assert [(w["position"], w["email"]) for w in page["items"]] == [(2, "p4@example.org")]


@pytest.mark.django_db
def test_organiser_lists_404_for_a_missing_event(client: Client) -> None:
    headers = bearer(UserFactory(role=Role.ORGANISER))
    assert client.get(f"{API}/999999/attendees", headers=headers).status_code == 404
    assert client.get(f"{API}/{10**30}/attendees", headers=headers).status_code in {404, 422}


@pytest.mark.django_db
def test_a_signed_in_organiser_can_use_the_api_from_the_browser(
    client: Client, event_with_people
) -> None:
    client.force_login(UserFactory(role=Role.ORGANISER))
    assert client.get(f"{API}/{event_with_people.pk}/attendees").status_code == 200
    client.force_login(UserFactory(role=Role.MEMBER))
    assert client.get(f"{API}/{event_with_people.pk}/attendees").status_code == 403


@pytest.mark.django_db
def test_tokens_stop_working_when_expired_or_deactivated_and_stay_revoked(
    client: Client, event_with_people
) -> None:
    from fingerpost.accounts.models import ApiToken

    url = f"{API}/{event_with_people.pk}/attendees"
    organiser = UserFactory(role=Role.ORGANISER)
    headers = bearer(organiser)
    assert client.get(url, headers=headers).status_code == 200

    organiser.is_active = False
    organiser.save()
    assert client.get(url, headers=headers).status_code == 401
    # Reactivating the account does not bring its old tokens back.
    organiser.is_active = True
    organiser.save()
    assert client.get(url, headers=headers).status_code == 401

    fresh = bearer(organiser)
    ApiToken.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(url, headers=fresh).status_code == 401
    assert client.get(url, headers=bearer(organiser)).status_code == 200


@pytest.mark.django_db
def test_api_token_command_prints_a_working_token(client: Client, event_with_people) -> None:
    UserFactory(email="olivia@example.org", role=Role.ORGANISER)
    out = StringIO()
    call_command("api_token", "Olivia@example.org", stdout=out)
    token = out.getvalue().strip()
    response = client.get(
        f"{API}/{event_with_people.pk}/attendees", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_api_token_command_refuses_unknown_and_deactivated_people() -> None:
    UserFactory(email="gone@example.org", is_active=False)
    with pytest.raises(CommandError, match="deactivated"):
        call_command("api_token", "gone@example.org", stdout=StringIO())
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "nobody@example.org", stdout=StringIO())


# ---------------------------------------------------------------- query counts


@pytest.mark.django_db
def test_event_list_query_count_does_not_grow_with_events(client: Client) -> None:
    organiser = UserFactory(role=Role.ORGANISER)

    def add_events(count: int) -> None:
        for event in EventFactory.create_batch(count, organiser=organiser, capacity=3):
            BookingFactory.create_batch(2, event=event)
            RegistrationQuestion.objects.create(event=event, text="Q", kind="text")

    add_events(5)
    assert_flat_query_count(client, f"{API}/", lambda: add_events(45))
    assert client.get(f"{API}/").json()["count"] == 50


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("which", "status"), [("attendees", "confirmed"), ("waiting-list", "waiting")]
)
def test_organiser_list_query_counts_do_not_grow_with_people(which: str, status: str) -> None:
    event = EventFactory(capacity=100)
    client = Client(headers=bearer(UserFactory(role=Role.ORGANISER)))

    def add_people(count: int) -> None:
        BookingFactory.create_batch(count, event=event, status=status)

    add_people(5)
    client.get(f"{API}/{event.pk}/{which}")  # the token's first use writes "last used"
    assert_flat_query_count(client, f"{API}/{event.pk}/{which}", lambda: add_people(45))
    assert client.get(f"{API}/{event.pk}/{which}").json()["count"] == 50
