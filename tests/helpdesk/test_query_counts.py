"""The exact number of queries of the main help-desk writes. A change that
adds one fails here, so it is seen and agreed in review."""

import pytest
from django.urls import reverse

from fingerpost.accounts.roles import Role
from fingerpost.helpdesk import services

from ..champions.factories import ready_champion
from ..factories import HelpRequestFactory, UserFactory
from ..querycount import assert_query_count


@pytest.fixture
def request_and_coordinator(db):
    help_request = HelpRequestFactory()
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=help_request.organisation)
    return help_request, coordinator


def test_a_triage(request_and_coordinator) -> None:
    help_request, coordinator = request_and_coordinator
    # The versioned update, re-read, the status change on the timeline, the
    # needs (removed, added), priority and needs on the timeline, the audit.
    with assert_query_count(10):
        services.triage(
            request=help_request,
            by=coordinator,
            expected_version=help_request.version,
            priority=3,
            needs=["email", "video_calls"],
        )


def test_an_assignment(request_and_coordinator) -> None:
    help_request, coordinator = request_and_coordinator
    champion = ready_champion()
    # The champion's roles, the versioned update, re-read, two timeline
    # entries, the audit and the champion's email in the outbox; and the
    # champions app's lock on the profile, the load count, ending an earlier
    # offer and recording this one.
    with assert_query_count(13):
        services.assign(
            request=help_request,
            by=coordinator,
            expected_version=help_request.version,
            champion=champion,
        )


def test_the_queue_page(request_and_coordinator, client) -> None:
    help_request, coordinator = request_and_coordinator
    HelpRequestFactory.create_batch(3, organisation=help_request.organisation)
    client.force_login(coordinator)
    # The session, the user, their roles, the ids of the organisations they
    # coordinate and of those where they lead safeguarding (each a small query
    # of its own, so the queue's index serves the page), the count, the page's
    # ids (from the index: `QueuePaginator`), its rows, their needs, and the
    # permissions (two). The same with any number of requests (test_views
    # checks that).
    with assert_query_count(11):
        assert client.get(reverse("helpdesk:queue")).status_code == 200
