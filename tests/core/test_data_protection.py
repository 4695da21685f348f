"""Subject access and erasure (finding 7): records are found by email OR phone
across every registered source, and staff confirm which are the person's
before anything is exported or erased."""

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.roles import Role
from fingerpost.core.models import AuditEntry
from fingerpost.events.models import Booking
from fingerpost.helpdesk.models import HelpRequest

from ..conftest import ALL_ROLES
from ..factories import BookingFactory, HelpRequestFactory, OrganisationFactory, UserFactory

URL = reverse("core:data_protection")


@pytest.fixture
def admin_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


@pytest.fixture
def two_people_one_phone(db):
    library = OrganisationFactory(kind="library")
    dora = HelpRequestFactory(
        organisation=library, name="Dora Resident", email="dora@example.org", phone="01305123456"
    )
    son = HelpRequestFactory(
        organisation=library, name="Sam Resident", email="sam@example.org", phone="01305123456"
    )
    booking = BookingFactory(name="Dora Resident", email="dora@example.org")
    return dora, son, booking


def test_every_matching_record_is_listed_with_what_it_matched(
    admin_client, two_people_one_phone
) -> None:
    dora, son, booking = two_people_one_phone
    page = admin_client.post(URL, {"email": "dora@example.org", "phone": "01305 123456"})
    text = page.content.decode()
    assert page.status_code == 200
    for record in (dora.reference, son.reference, booking.reference):
        assert record in text
    assert "Matched on email and phone" in text and "Matched on phone" in text
    assert "3 records found" in text


def test_only_the_ticked_records_are_exported(admin_client, two_people_one_phone) -> None:
    dora, son, _booking = two_people_one_phone
    lookup = {"email": "", "phone": "01305 123456"}
    nothing = admin_client.post(URL, {**lookup, "action": "export"})
    assert nothing.status_code == 400 and b"Tick the records" in nothing.content
    export = admin_client.post(
        URL, {**lookup, "action": "export", "record": f"helpdesk.requests:{dora.reference}"}
    ).json()
    requests = export["records"]["Requests for digital help"]
    assert [r["reference"] for r in requests] == [dora.reference]
    assert "Sam Resident" not in str(export)
    assert AuditEntry.objects.filter(subject_reference=dora.reference, action="export").exists()
    assert not AuditEntry.objects.filter(subject_reference=son.reference, action="export").exists()


def test_only_the_ticked_records_are_erased_after_confirming(
    admin_client, two_people_one_phone
) -> None:
    dora, son, booking = two_people_one_phone
    lookup = {"email": "dora@example.org", "phone": "01305 123456"}
    chosen = [f"helpdesk.requests:{dora.reference}", f"events.bookings:{booking.reference}"]
    unconfirmed = admin_client.post(URL, {**lookup, "action": "erase", "record": chosen})
    assert unconfirmed.status_code == 400
    assert HelpRequest.objects.get(pk=dora.pk).name == "Dora Resident"
    admin_client.post(URL, {**lookup, "action": "erase", "record": chosen, "confirm": "yes"})
    assert HelpRequest.objects.get(pk=dora.pk).name == ""
    assert HelpRequest.objects.get(pk=son.pk).name == "Sam Resident"
    assert Booking.objects.get(pk=booking.pk).email == ""


def test_a_forged_key_not_found_by_the_search_is_ignored(admin_client, two_people_one_phone):
    _dora, son, _booking = two_people_one_phone
    admin_client.post(
        URL,
        {
            "email": "dora@example.org",
            "phone": "",
            "action": "erase",
            "record": f"helpdesk.requests:{son.reference}",
            "confirm": "yes",
        },
    )
    assert HelpRequest.objects.get(pk=son.pk).name == "Sam Resident"


def test_bad_lookups_get_a_clear_message(admin_client) -> None:
    assert b"email address or phone number" in admin_client.post(URL, {}).content
    assert b"Enter a phone number" in admin_client.post(URL, {"phone": "abc"}).content


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ALL_ROLES, ""])
def test_only_admins_reach_it(role: str) -> None:
    client = Client()
    client.force_login(UserFactory(role=role))
    assert client.get(URL).status_code == (200 if role == Role.ADMIN else 403)
