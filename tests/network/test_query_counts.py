"""Lists and search make the same number of queries however much there is,
and the main writes make exactly the queries pinned here."""

import pytest
from django.test import Client

from fingerpost.core.api_auth import issue_api_token
from fingerpost.network.models import Card
from fingerpost.network.search_index import uses_full_text
from fingerpost.network.services import boards, conversations
from tests.factories import OrganisationFactory
from tests.querycount import assert_query_count, count_queries

from . import bulk, factories

pytestmark = pytest.mark.django_db
FULL_TEXT = int(uses_full_text())


LARGE = 100_000


def test_every_list_and_search_is_flat_at_a_hundred_thousand() -> None:
    """Every list page, API list and search of the network makes the same
    number of queries with 10 of each thing as with 100,000: counted once
    on a small dataset, then again after one shared large one is added."""
    user = factories.member()
    organiser = factories.member(role="organiser")
    member = Client()
    member.force_login(user)
    moderator = Client()
    moderator.force_login(organiser)
    token = Client(headers={"Authorization": f"Bearer {issue_api_token(user)}"})
    organisation = OrganisationFactory()
    topic = bulk.topics_and_posts(10, user)
    reported = factories.topic(by=user, title="Reported posts")
    initiative = factories.initiative(by=user)
    board = factories.board_of(initiative)
    card = factories.card(board, user)

    def add(size: int, start: int) -> None:
        bulk.people(size, organisation, start=start)
        bulk.topics_and_posts(size, user)
        bulk.posts_in(topic, size // 2, user)  # as many posts and replies
        bulk.reports(size, reported, user)
        bulk.resources(size, user, start=start)
        bulk.search_documents(size, start=start)
        bulk.initiatives(size, user)
        # The board page shows every open card: a board keeps a working set
        # open (2% here) and its archive and history grow without end.
        bulk.cards(board, size - size // 50, user, archived_every=1, events=size)
        bulk.cards(board, size // 50, user, archived_every=size, events=0)

    pages = [
        "/network/",
        "/network/people/",
        "/network/people/?discipline=customer-service&q=accessibility",
        f"/network/people/?organisation={organisation.slug}",
        "/network/topics/",
        topic.get_absolute_url(),
        "/network/resources/",
        "/network/resources/?q=guide",
        "/network/search/?q=accessibility",
        "/network/search/?q=accessibility&kind=person",
        "/network/initiatives/",
        board.get_absolute_url(),
        f"/network/boards/{board.pk}/history/",
        f"/network/boards/{board.pk}/archived/",
        card.get_absolute_url(),
    ]
    api = [
        "/api/v1/network/people?q=accessibility",
        "/api/v1/network/topics",
        f"/api/v1/network/topics/{topic.slug}/posts",
        "/api/v1/network/resources?q=guide",
        "/api/v1/network/boards",
        f"/api/v1/network/boards/{board.pk}",
    ]
    measured = [(member, url) for url in pages] + [(moderator, "/network/reported/")]
    measured += [(token, url) for url in api]

    add(10, 0)
    small = [count_queries(client, url) for client, url in measured]
    add(LARGE, 1000)
    large = [count_queries(client, url) for client, url in measured]
    grew = [
        f"{url}: {before} then {after}"
        for (_client, url), before, after in zip(measured, small, large, strict=True)
        if before != after
    ]
    assert not grew, "queries grew with the data: " + "; ".join(grew)
    assert Card.objects.filter(board=board, archived=False).count() >= LARGE // 50


def test_a_post_and_a_move_make_the_pinned_queries() -> None:
    user = factories.member()
    topic = factories.topic(by=user)
    # PostgreSQL adds one statement: the document's full-text vector.
    with assert_query_count(11 + FULL_TEXT):
        conversations.create_post(topic=topic, by=user, body="Hello")
    board = factories.board_of(factories.initiative(by=user))
    _todo, doing, _done = board.lists.order_by("position")
    card = factories.card(board, user)
    with assert_query_count(9):
        boards.move_card(card=card, by=user, to_list=doing, position=1)
