"""Limits on public submissions (finding 6): per client address and per email
named, in the shared (database) cache; over the limit nothing is saved or
sent, the web says when to try again and the API answers 429 with Retry-After."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.test import Client

from fingerpost.accounts.roles import Role
from fingerpost.events.models import Booking
from fingerpost.helpdesk.models import HelpRequest

from ..factories import EventFactory, OrganisationFactory, UserFactory

API = "/api/v1/events"


@pytest.fixture
def tight(settings):
    settings.FINGERPOST_LIMITS_ENABLED = True
    settings.FINGERPOST_LIMITS = {
        "bookings": {"address": (3, 3600), "email": (2, 3600)},
        "help_requests": {"address": (10, 3600), "email": (2, 86400)},
        "referrals": {"address": (2, 3600), "email": (5, 86400)},
    }


def test_the_default_cache_is_the_shared_database_cache() -> None:
    assert settings.CACHES["default"]["BACKEND"].endswith("db.DatabaseCache")
    assert isinstance(caches["default"], DatabaseCache)


@pytest.mark.django_db
def test_the_cache_table_is_made_by_migrate() -> None:
    cache.set("probe", 1)
    assert cache.get("probe") == 1


@pytest.mark.django_db(transaction=True)
def test_api_bookings_from_one_address_stop_at_the_limit(tight) -> None:
    event = EventFactory(capacity=40)
    client = Client(REMOTE_ADDR="198.51.100.7")
    answers = [
        client.post(
            f"{API}/{event.pk}/bookings",
            {"name": f"Made up {n}", "email": f"made{n}@example.org"},
            content_type="application/json",
        )
        for n in range(6)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429, 429]
    assert int(answers[3]["Retry-After"]) > 0
    assert "Try again after" in answers[3].json()["detail"]
    assert Booking.objects.count() == 3
    # Another address is not held up.
    other = Client(REMOTE_ADDR="198.51.100.8").post(
        f"{API}/{event.pk}/bookings",
        {"name": "Someone", "email": "someone@example.org"},
        content_type="application/json",
    )
    assert other.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_one_email_address_cannot_be_booked_again_and_again(tight) -> None:
    events = [EventFactory(capacity=5) for _ in range(3)]
    codes = [
        Client(REMOTE_ADDR=f"198.51.100.{n}")
        .post(
            f"{API}/{event.pk}/bookings",
            {"name": "Victim", "email": "victim@example.org"},
            content_type="application/json",
        )
        .status_code
        for n, event in enumerate(events)
    ]
    assert codes == [201, 201, 429]
    assert Booking.objects.count() == 2


HELP_STEPS = [
    ("needs", {"needs": ["email"], "what_they_want": ""}),
    ("device", {"has_device": "yes"}),
    ("internet", {"has_internet": "yes"}),
    ("how", {"help_modes": ["phone"]}),
    ("contact", {"name": "Someone", "phone": "", "email": "target@example.org"}),
    ("where", {"postcode_or_town": "DT1 1AA"}),
    ("more", {"languages": "", "access_needs": ""}),
    ("consent", {"consent_to_share": "yes"}),
]


def _ask(client: Client):
    for step, data in HELP_STEPS:
        client.post(f"/get-help/ask/{step}/", data)
    return client.post("/get-help/ask/check/")


@pytest.mark.django_db(transaction=True)
def test_help_requests_naming_someone_elses_email_stop_at_the_limit(tight) -> None:
    OrganisationFactory(name="Help desk", kind="library")
    answers = [_ask(Client(REMOTE_ADDR=f"203.0.113.{n}")) for n in range(5)]
    assert [a.status_code for a in answers] == [302, 302, 429, 429, 429]
    assert b"Too many attempts" in answers[2].content
    assert b"Try again after" in answers[2].content
    assert HelpRequest.objects.count() == 2
    assert len([m for m in mail.outbox if m.to == ["target@example.org"]]) == 2


@pytest.mark.django_db
def test_referrals_through_the_api_are_limited(tight) -> None:
    OrganisationFactory(name="Help desk", kind="library")
    client = Client()
    client.force_login(UserFactory(role=Role.MEMBER))
    body = {
        "needs": ["email"],
        "name": "Ann",
        "phone": "01305 123456",
        "postcode_or_town": "DT1",
        "consent_to_share": True,
    }
    codes = [
        client.post("/api/v1/help-requests/", body, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    assert HelpRequest.objects.count() == 2


@pytest.mark.django_db
def test_web_bookings_are_limited_too(tight) -> None:
    import re

    event = EventFactory(capacity=10)
    client = Client()
    codes = []
    for n in range(4):
        client.post(f"/events/{event.pk}/book/", {"name": "A", "email": f"a{n}@example.org"})
        check = client.get(f"/events/{event.pk}/book/check/").content.decode()
        key = re.search(r'name="submission_key" value="(web:[0-9a-f:]+)"', check).group(1)
        codes.append(
            client.post(f"/events/{event.pk}/book/check/", {"submission_key": key}).status_code
        )
    assert codes == [302, 302, 302, 429]
    assert Booking.objects.count() == 3


def test_signups_are_limited_by_allauth_in_the_shared_cache() -> None:
    from allauth.account import app_settings

    assert app_settings.RATE_LIMITS["signup"] == "10/h/ip"
    assert app_settings.RATE_LIMITS["login_failed"].endswith("/key")
