import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.roles import Role

from ..conftest import ALL_ROLES
from ..factories import MembershipFactory, OrganisationFactory
from ..querycount import assert_flat_query_count


@pytest.mark.django_db
def test_organisation_list_makes_the_same_queries_with_10_or_200(client: Client) -> None:
    parent = OrganisationFactory(name="Library service", kind="library")
    OrganisationFactory.create_batch(10, parent=parent)
    assert_flat_query_count(
        client,
        reverse("organisations:list"),
        lambda: OrganisationFactory.create_batch(190, parent=parent),
    )


@pytest.mark.django_db
def test_organisation_page_makes_the_same_queries_however_many_members(client_for) -> None:
    organisation = OrganisationFactory()
    OrganisationFactory.create_batch(2, parent=organisation)
    MembershipFactory.create_batch(2, organisation=organisation)
    client = client_for(Role.MEMBER)
    assert_flat_query_count(
        client,
        organisation.get_absolute_url(),
        lambda: (
            MembershipFactory.create_batch(30, organisation=organisation),
            OrganisationFactory.create_batch(10, parent=organisation),
        ),
    )


@pytest.mark.django_db
def test_people_page_makes_the_same_queries_however_many_people(client_for) -> None:
    client = client_for(Role.ORGANISER)
    MembershipFactory.create_batch(3)
    assert_flat_query_count(
        client, reverse("organisations:people"), lambda: MembershipFactory.create_batch(40)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_organisers_and_admins_see_the_people_directory(client_for, role: str) -> None:
    response = client_for(role).get(reverse("organisations:people"))
    assert response.status_code == (200 if role in {Role.ORGANISER, Role.ADMIN} else 403)


@pytest.mark.django_db
def test_people_directory_needs_sign_in(client: Client) -> None:
    response = client.get(reverse("organisations:people"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_public_sees_organisations_but_not_who_works_there(client: Client, client_for) -> None:
    membership = MembershipFactory(user__full_name="Grace Hopper")
    url = membership.organisation.get_absolute_url()
    assert b"Grace Hopper" not in client.get(url).content
    assert b"Grace Hopper" in client_for(Role.MEMBER).get(url).content


@pytest.mark.django_db
def test_organisation_list_filters_by_kind_and_ignores_nonsense(client: Client) -> None:
    OrganisationFactory(name="Harbour Library", kind="library")
    OrganisationFactory(name="Town Council", kind="council")
    response = client.get(reverse("organisations:list"), {"kind": "library"})
    assert [o.name for o in response.context["page"].object_list] == ["Harbour Library"]
    response = client.get(reverse("organisations:list"), {"kind": "💥' OR 1=1", "page": "x"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2


@pytest.mark.django_db
def test_unknown_organisation_is_404(client: Client) -> None:
    assert client.get("/organisations/no-such-place/").status_code == 404
