"""The booking flow's state in its encrypted cookie (events/booking_cookie.py):
only a cookie sealed here, for this person, recently, counts; nobody can read
it; long answers wait in the session; a confirmation is shown once."""

import base64
import json
import random
import re
import string
import time
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.test import Client, RequestFactory
from django.urls import reverse

from fingerpost.events import booking_cookie
from fingerpost.events.models import Booking, RegistrationQuestion

from ..factories import EventFactory, UserFactory

DETAILS = {"name": "Ada Lovelace", "email": "ada@example.org", "organisation_name": "Council"}


def _check_page(client: Client, event_id: int) -> str:
    return client.get(reverse("events:book_check", args=[event_id])).content.decode()


def _key(page: str) -> str:
    return re.search(r'name="submission_key" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
def test_the_answers_wait_in_the_cookie_not_the_session(settings) -> None:
    event = EventFactory()
    client = Client()
    client.post(reverse("events:book", args=[event.pk]), DETAILS)
    cookie = client.cookies[booking_cookie.COOKIE_NAME]
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # goes with the browser
    assert not cookie["secure"]  # as the session cookie, in tests
    assert "ada@example.org" in _check_page(client, event.pk)


@pytest.mark.django_db
def test_the_answers_in_the_cookie_cannot_be_read_from_it() -> None:
    event = EventFactory()
    client = Client()
    client.post(reverse("events:book", args=[event.pk]), DETAILS)
    value = client.cookies[booking_cookie.COOKIE_NAME].value
    decoded = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    for shown in (value, decoded.decode("latin-1")):
        assert "Ada" not in shown and "ada@example.org" not in shown
    # It is the answers, sealed: opened with the key, they are there.
    assert booking_cookie._open(_anonymous_request(), value)["a"][str(event.pk)]


def _anonymous_request() -> Any:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return request


@pytest.mark.django_db
def test_the_cookie_is_secure_when_the_session_cookie_is(settings) -> None:
    settings.SESSION_COOKIE_SECURE = True
    event = EventFactory()
    client = Client()
    client.post(reverse("events:book", args=[event.pk]), DETAILS, secure=True)
    assert client.cookies[booking_cookie.COOKIE_NAME]["secure"]


@pytest.mark.django_db
def test_a_tampered_cookie_is_ignored() -> None:
    event = EventFactory()
    client = Client()
    client.post(reverse("events:book", args=[event.pk]), DETAILS)
    value = client.cookies[booking_cookie.COOKIE_NAME].value
    client.cookies[booking_cookie.COOKIE_NAME] = value[:-2] + ("AA" if value[-2:] != "AA" else "BB")
    response = client.get(reverse("events:book_check", args=[event.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:book", args=[event.pk])
    # One made up without the key is ignored too, signed or encrypted.
    made_up = {"a": {str(event.pk): {"details": DETAILS}}}
    client.cookies[booking_cookie.COOKIE_NAME] = signing.dumps(made_up, salt="guessed")
    assert client.get(reverse("events:book_check", args=[event.pk])).status_code == 302
    guessed = Fernet(Fernet.generate_key()).encrypt(json.dumps(made_up).encode()).decode()
    client.cookies[booking_cookie.COOKIE_NAME] = guessed
    assert client.get(reverse("events:book_check", args=[event.pk])).status_code == 302


@pytest.mark.django_db
def test_another_persons_cookie_is_ignored() -> None:
    event = EventFactory()
    ada, bob = UserFactory(), UserFactory()
    first = Client()
    first.force_login(ada)
    first.post(reverse("events:book", args=[event.pk]), DETAILS)
    assert "ada@example.org" in _check_page(first, event.pk)
    copied = first.cookies[booking_cookie.COOKIE_NAME].value
    for who in (bob, None):  # someone else signed in, or signed out
        other = Client()
        if who is not None:
            other.force_login(who)
        other.cookies[booking_cookie.COOKIE_NAME] = copied
        page = other.get(reverse("events:book_check", args=[event.pk]), follow=True)
        assert "ada@example.org" not in page.content.decode()


@pytest.mark.django_db
def test_a_cookie_idle_too_long_is_ignored(settings, monkeypatch) -> None:
    event = EventFactory()
    client = Client()
    client.post(reverse("events:book", args=[event.pk]), DETAILS)
    assert "ada@example.org" in _check_page(client, event.pk)
    later = time.time() + settings.FINGERPOST_ANONYMOUS_SESSION_IDLE_MINUTES * 60 + 5
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get(reverse("events:book_check", args=[event.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:book", args=[event.pk])


@pytest.mark.django_db
def test_answers_too_long_for_a_cookie_wait_in_the_session(settings) -> None:
    event = EventFactory()
    questions = [
        RegistrationQuestion.objects.create(event=event, text=f"Question {n}", kind="text")
        for n in range(10)
    ]
    rng = random.Random(7)  # text that does not compress
    answers = {
        f"q{q.pk}": "".join(rng.choices(string.ascii_letters + string.digits, k=480))
        for q in questions
    }
    client = Client()
    client.post(reverse("events:book", args=[event.pk]), DETAILS)
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    response = client.post(reverse("events:book_questions", args=[event.pk]), answers)
    assert response.status_code == 302
    assert settings.SESSION_COOKIE_NAME in client.cookies
    assert len(client.cookies[booking_cookie.COOKIE_NAME].value) < booking_cookie.MAX_VALUE_BYTES
    page = _check_page(client, event.pk)
    assert all(answer[1:] in page for answer in answers.values())  # shown with capfirst
    check = reverse("events:book_check", args=[event.pk])
    assert client.post(check, {"submission_key": _key(page)}).status_code == 302
    booking = Booking.objects.get(event=event)
    assert booking.answers == {k[1:]: v for k, v in answers.items()}
    # Booked: the answers are gone from the session too.
    assert f"booking:{event.pk}" not in client.session


@pytest.mark.django_db
def test_the_confirmation_is_shown_once() -> None:
    event = EventFactory()
    client = Client()
    client.post(reverse("events:book", args=[event.pk]), DETAILS)
    key = _key(_check_page(client, event.pk))
    done_url = client.post(reverse("events:book_check", args=[event.pk]), {"submission_key": key})[
        "Location"
    ]
    # The private token is not in the cookie (it outlives being ignored).
    value = client.cookies[booking_cookie.COOKIE_NAME].value
    kept = booking_cookie._open(_anonymous_request(), value)
    assert kept and kept["s"]
    token = Booking.objects.get().token
    assert token not in str(kept) and "ada@example.org" not in str(kept)
    first = client.get(done_url).content.decode()
    assert "Your place is booked" in first and "ada@example.org" in first
    again = client.get(done_url).content.decode()
    assert "ada@example.org" not in again
    # Back on the check page, the booking made is found (without its details).
    back = client.get(reverse("events:book_check", args=[event.pk]))
    assert back.status_code == 302 and back["Location"] == done_url
    # The key belongs to this browser: in another it books nothing.
    other = Client()
    other.post(reverse("events:book", args=[event.pk]), {**DETAILS, "email": "bob@example.org"})
    refused = other.post(reverse("events:book_check", args=[event.pk]), {"submission_key": key})
    assert refused.status_code == 200 and Booking.objects.count() == 1
