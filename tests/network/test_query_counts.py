"""Lists and search make the same number of queries however much there is,
and the main writes make exactly the queries pinned here."""

import pytest
from django.test import Client

from fingerpost.network.search_index import uses_full_text
from fingerpost.network.services import boards, conversations
from tests.factories import OrganisationFactory
from tests.querycount import assert_flat_query_count, assert_query_count

from . import bulk, factories

pytestmark = pytest.mark.django_db
FULL_TEXT = int(uses_full_text())


@pytest.fixture
def signed_in(client: Client):
    user = factories.member()
    client.force_login(user)
    return client, user


def test_whos_who_is_flat(signed_in) -> None:
    client, _user = signed_in
    organisation = OrganisationFactory()
    bulk.people(10, organisation)
    urls = [
        "/network/people/",
        "/network/people/?discipline=customer-service&q=accessibility",
        f"/network/people/?organisation={organisation.slug}",
    ]
    for n, url in enumerate(urls, 1):
        more = lambda n=n: bulk.people(1000, organisation, start=1000 * n)  # noqa: E731
        assert_flat_query_count(client, url, more)


def test_topics_and_a_topic_are_flat(signed_in) -> None:
    client, user = signed_in
    topic = bulk.topics_and_posts(10, user)
    bulk.posts_in(topic, 10, user)
    assert_flat_query_count(client, "/network/topics/", lambda: bulk.topics_and_posts(1000, user))
    assert_flat_query_count(
        client, topic.get_absolute_url(), lambda: bulk.posts_in(topic, 200, user)
    )


def test_the_library_is_flat_at_a_hundred_thousand(signed_in) -> None:
    client, user = signed_in
    bulk.resources(10, user)
    assert_flat_query_count(
        client, "/network/resources/?q=guide", lambda: bulk.resources(100_000, user, start=10)
    )


def test_search_is_flat_at_a_hundred_thousand(signed_in) -> None:
    client, _user = signed_in
    bulk.search_documents(10)
    urls = ["/network/search/?q=accessibility", "/network/search/?q=accessibility&kind=person"]
    for n, url in enumerate(urls, 1):
        more = lambda n=n: bulk.search_documents(50_000, start=100_000 * n)  # noqa: E731
        assert_flat_query_count(client, url, more)


def test_a_board_and_its_history_are_flat(signed_in) -> None:
    client, user = signed_in
    initiative = factories.initiative(by=user)
    board = factories.board_of(initiative)
    bulk.cards(board, 10, user)
    for url in [
        board.get_absolute_url(),
        f"/network/boards/{board.pk}/history/",
        f"/network/boards/{board.pk}/archived/",
        "/network/initiatives/",
    ]:
        assert_flat_query_count(client, url, lambda: bulk.cards(board, 300, user))


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
