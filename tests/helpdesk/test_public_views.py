import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fingerpost.helpdesk.models import HelpRequest

from ..factories import OrganisationFactory

ANSWERS = [
    ("needs", {"needs": ["video_calls", "email"], "what_they_want": "Call my grandson"}),
    ("device", {"has_device": "yes", "has_internet": "no"}),
    ("how", {"help_modes": ["library", "phone"]}),
    ("contact", {"name": "Margaret Jones", "phone": "", "email": "margaret@example.org"}),
    ("where", {"postcode_or_town": "DT4 8AA"}),
    ("more", {"languages": "English, Welsh", "access_needs": ""}),
    ("consent", {"consent_to_share": "yes"}),
]


def step_url(step: str) -> str:
    return reverse("helpdesk_public:step", kwargs={"step": step})


@pytest.mark.django_db(transaction=True)
def test_a_resident_asks_for_help_one_question_at_a_time() -> None:
    OrganisationFactory(name="County Libraries", kind="library")
    client = Client()
    for step, data in ANSWERS:
        response = client.post(step_url(step), data)
        assert response.status_code == 302, (step, response.content.decode()[:500])
    check = client.get(reverse("helpdesk_public:check"))
    assert b"Margaret Jones" in check.content and b"Video calls" in check.content
    done = client.post(reverse("helpdesk_public:check"), follow=True)
    request = HelpRequest.objects.get()
    assert request.reference.encode() in done.content
    assert b"Request sent" in done.content
    assert request.help_modes == ["library", "phone"] and request.consent_to_share
    assert len(mail.outbox) == 1
    status = Client().get(reverse("helpdesk_public:status", args=[request.token]))
    assert b"We have your request" in status.content
    Client().post(reverse("helpdesk_public:status", args=[request.token]), {"action": "withdraw"})
    request.refresh_from_db()
    assert request.outcome == "withdrawn"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("needs", {}, b"Select what you would like help with"),
        ("needs", {"needs": ["nonsense"]}, b"Select a valid choice"),
        ("contact", {"name": "A"}, b"Enter a phone number or an e-mail address"),
        ("contact", {"name": "A", "phone": "12"}, b"Enter a phone number, like"),
        ("contact", {"name": "\u200b", "email": "a@example.org"}, b"Enter your name"),
        ("contact", {"name": "A", "email": "not an email"}, b"correct format"),
        ("where", {"postcode_or_town": "x" * 101}, b"100 characters"),
    ],
)
def test_bad_answers_get_a_clear_error(step, data, message) -> None:
    client = Client()
    # Earlier questions answered, so the step is reachable.
    for earlier, good in ANSWERS[: [s for s, _ in ANSWERS].index(step)]:
        client.post(step_url(earlier), good)
    response = client.post(step_url(step), data)
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert message in response.content
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_skipping_ahead_goes_back_to_the_first_unanswered_question() -> None:
    response = Client().get(step_url("contact"))
    assert response["Location"] == step_url("needs")
    assert Client().get(reverse("helpdesk_public:check"))["Location"] == step_url("needs")
    assert Client().get(step_url("no-such-step")).status_code == 404


@pytest.mark.django_db
def test_status_link_cannot_be_guessed() -> None:
    assert Client().get(reverse("helpdesk_public:status", args=["guess"])).status_code == 404


@pytest.mark.django_db
def test_questions_are_plain_english() -> None:
    client = Client()
    html = client.get(step_url("needs")).content.decode()
    assert re.search(r"What would you like help with\?", html)
    assert "Question 1 of 7" in html
