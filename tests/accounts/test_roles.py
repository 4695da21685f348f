"""Roles belong to memberships: the union, scoped, verified only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fingerpost.accounts.roles import Role, forget_roles, roles_of
from fingerpost.accounts.rules import (
    is_admin,
    is_champion,
    is_coordinator,
    is_organiser,
    is_verified_member,
)
from fingerpost.organisations.models import Membership
from fingerpost.organisations.queries import organisations_where, people_with_role

from ..factories import OrganisationFactory, UserFactory, grant_role


@pytest.mark.django_db
def test_a_coordinator_who_is_also_a_champion_holds_both_in_their_organisation() -> None:
    library = OrganisationFactory(kind="library")
    council = OrganisationFactory()
    person = UserFactory(role="")
    grant_role(person, Role.COORDINATOR, library)
    grant_role(person, Role.CHAMPION, library)
    grant_role(person, Role.MEMBER, council)
    roles = roles_of(person)
    assert roles.organisations_for(Role.COORDINATOR) == {library.pk}
    assert roles.organisations_for(Role.CHAMPION) == {library.pk}
    assert roles.member_of == {library.pk, council.pk}
    assert is_coordinator(person) and is_champion(person) and is_verified_member(person)
    assert not is_organiser(person) and not is_admin(person)
    assert person.role_names == "Digital champion, Coordinator"
    assert set(people_with_role(Role.CHAMPION)) == {person}


@pytest.mark.django_db
def test_a_coordinator_covers_the_branches_of_their_organisation() -> None:
    service = OrganisationFactory(kind="library")
    branch = OrganisationFactory(kind="library", parent=service)
    elsewhere = OrganisationFactory(kind="library")
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=service)
    assert set(organisations_where(coordinator, Role.COORDINATOR)) == {service, branch}
    assert set(people_with_role(Role.COORDINATOR, organisation_id=branch.pk)) == {coordinator}
    assert not people_with_role(Role.COORDINATOR, organisation_id=elsewhere.pk).exists()


@pytest.mark.django_db
def test_an_unverified_membership_gives_no_role() -> None:
    person = UserFactory(role="")
    Membership.objects.create(user=person, organisation=OrganisationFactory(), is_coordinator=True)
    assert not is_verified_member(person)
    assert not is_coordinator(person)
    assert not roles_of(person).sees_resident_data
    assert person.role_names == ""


@pytest.mark.django_db
def test_the_operator_is_an_organiser_and_coordinator_but_never_a_champion() -> None:
    admin = UserFactory(role=Role.ADMIN)
    assert is_admin(admin) and is_organiser(admin) and is_coordinator(admin)
    assert not is_champion(admin)
    assert roles_of(admin).sees_resident_data


@pytest.mark.django_db
def test_roles_are_read_once_per_user_object() -> None:
    person = UserFactory(role=Role.CHAMPION)
    forget_roles(person)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            is_champion(person)
            is_coordinator(person)
            is_verified_member(person)
    assert len(queries) == 1


@pytest.mark.django_db
def test_an_inactive_account_holds_nothing() -> None:
    person = UserFactory(role=Role.COORDINATOR, is_active=False)
    assert not is_coordinator(person) and not is_verified_member(person)
