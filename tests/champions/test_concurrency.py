"""Two coordinators assigning at once, on PostgreSQL with real connections:
the champion's profile row is locked while their load is counted, so nobody
ends up over their limit."""

import threading

import pytest
from django.db import close_old_connections, connection

from fingerpost.accounts.roles import Role
from fingerpost.champions import services
from fingerpost.core.errors import Conflict
from fingerpost.helpdesk.models import HelpRequest

from ..factories import HelpRequestFactory, OrganisationFactory, UserFactory
from .factories import ready_champion

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
)


def _run_in_threads(count: int, target) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            target(n)
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_never_fill_a_champion_past_their_limit() -> None:
    library = OrganisationFactory(kind="library")
    coordinators = [
        UserFactory(role=Role.COORDINATOR, role__organisation=library) for _ in range(2)
    ]
    champion = ready_champion(max_active=1)
    requests = [HelpRequestFactory(organisation=library) for _ in range(2)]

    def assign(n: int) -> None:
        services.assign(
            help_request=requests[n],
            champion=champion,
            by=coordinators[n],
            expected_version=requests[n].version,
        )

    errors = _run_in_threads(2, assign)
    assert len(errors) == 1 and isinstance(errors[0], Conflict)
    assert HelpRequest.objects.filter(assigned_to=champion).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_assignments_at_once_respect_the_limit() -> None:
    library = OrganisationFactory(kind="library")
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    champion = ready_champion(max_active=3)
    requests = [HelpRequestFactory(organisation=library) for _ in range(8)]

    def assign(n: int) -> None:
        services.assign(
            help_request=requests[n],
            champion=champion,
            by=coordinator,
            expected_version=requests[n].version,
        )

    errors = _run_in_threads(8, assign)
    assert len(errors) == 5 and all(isinstance(e, Conflict) for e in errors)
    assert HelpRequest.objects.filter(assigned_to=champion).count() == 3
