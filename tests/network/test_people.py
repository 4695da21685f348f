"""Who's who: profiles appear when a membership is verified; people are found
by discipline, organisation, skill or name; each person chooses what shows."""

import pytest
from django.test import Client

from fingerpost.accounts.roles import Role
from fingerpost.network import queries
from fingerpost.network.models import Profile
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, grant_role

from . import factories

pytestmark = pytest.mark.django_db


def test_a_verified_member_appears_in_whos_who_and_an_unverified_one_does_not() -> None:
    unverified = MembershipFactory(verified_at=None, verification="").user
    assert not Profile.objects.filter(user=unverified).exists()
    verified = UserFactory(role=Role.MEMBER)
    assert Profile.objects.filter(user=verified).exists()
    assert list(queries.people()) == [verified.network_profile]


def test_find_people_by_discipline_skill_organisation_and_name() -> None:
    council = OrganisationFactory(name="Dorset Council", slug="dorset-council")
    web = factories.discipline("web-development")
    ana = factories.member(
        job_title="Developer", discipline=web, skills="accessibility testing, Django"
    )
    grant_role(ana, Role.MEMBER, council)
    ben = factories.member(discipline=factories.discipline("ict"), skills="networks")
    names = lambda found: {p.user for p in found}  # noqa: E731
    assert names(queries.people(discipline="web-development")) == {ana}
    assert names(queries.people(text="accessibility testing")) == {ana}
    assert names(queries.people(text="networks")) == {ben}
    assert names(queries.people(organisation="dorset-council")) == {ana}
    assert names(queries.people(text=ben.full_name.split()[0])) >= {ben}


def test_people_choose_what_is_shown(client: Client) -> None:
    shy = factories.member(show_email=False, phone="07700 900123", show_phone=False)
    open_ = factories.member(show_email=True, phone="07700 900456", show_phone=True)
    viewer = factories.member()
    client.force_login(viewer)
    shy_page = client.get(factories.profile_of(shy).get_absolute_url()).content.decode()
    open_page = client.get(factories.profile_of(open_).get_absolute_url()).content.decode()
    assert shy.email not in shy_page and "07700900123" not in shy_page
    assert open_.email in open_page and "07700900456" in open_page


def test_someone_unlisted_is_not_found() -> None:
    hidden = factories.member(listed=False)
    assert hidden.network_profile not in queries.people()
    assert queries.person(hidden.network_profile.handle) is None


def test_handles_are_unique_for_people_with_the_same_name() -> None:
    first = UserFactory(role=Role.MEMBER, full_name="Jane Smith")
    second = UserFactory(role=Role.MEMBER, full_name="Jane Smith")
    assert first.network_profile.handle == "jane-smith"
    assert second.network_profile.handle == "jane-smith-2"


def test_editing_your_profile_through_the_page(client: Client) -> None:
    user = factories.member()
    client.force_login(user)
    response = client.post(
        "/network/profile/",
        {
            "job_title": "Comms officer",
            "discipline": factories.discipline("communications").pk,
            "skills": "press releases",
            "interests": "",
            "ask_me_about": "social media",
            "phone": "",
            "listed": "on",
            "show_phone": "on",
        },
    )
    assert response.status_code == 400
    assert "Enter a phone number to show it" in response.content.decode()
    response = client.post(
        "/network/profile/",
        {
            "job_title": "Comms officer",
            "discipline": factories.discipline("communications").pk,
            "skills": "press releases",
            "interests": "",
            "ask_me_about": "social media",
            "phone": "",
            "listed": "on",
        },
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=user).job_title == "Comms officer"


def test_an_organisation_says_what_it_offers(client: Client) -> None:
    library = OrganisationFactory(name="Library service", slug="library-service", kind="library")
    staff = UserFactory(role=Role.MEMBER, role__organisation=library)
    outsider = factories.member()
    client.force_login(outsider)
    assert client.get(f"/network/organisations/{library.slug}/offer/").status_code == 403
    client.force_login(staff)
    response = client.post(
        f"/network/organisations/{library.slug}/offer/",
        {
            "offers": "Rooms for events",
            "contact_name": "Pat",
            "contact_email": "pat@example.org",
            "contact_phone": "",
        },
    )
    assert response.status_code == 302
    page = client.get(library.get_absolute_url()).content.decode()
    assert "Rooms for events" in page and "pat@example.org" in page
    client.logout()
    assert "Rooms for events" not in client.get(library.get_absolute_url()).content.decode()
