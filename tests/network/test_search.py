"""Search across people, posts, resources, cards and events: PostgreSQL
full-text search (stemmed, ranked) and the word-matching fallback elsewhere."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from fingerpost.network import queries
from fingerpost.network.services import boards, conversations
from tests.factories import EventFactory

from . import factories

pytestmark = pytest.mark.django_db


def kinds(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for document in queries.search(text):
        found.setdefault(document.kind, set()).add(document.title)
    return found


def test_everything_is_found_and_hidden_or_archived_things_are_not() -> None:
    user = factories.member(skills="accessibility testing", job_title="Tester")
    topic = factories.topic(by=user, title="Screen readers")
    post = conversations.create_post(
        topic=topic, by=user, body="Our accessibility audit starts Monday"
    )
    factories.link_resource(by=user, title="Accessibility checklist")
    board = factories.board_of(factories.initiative(by=user))
    card = factories.card(board, user, title="Accessibility review of the website")
    found = kinds("accessibility")
    assert set(found) == {"person", "post", "resource", "card"}

    organiser = factories.member(role="organiser")
    conversations.hide_post(post=post, by=organiser, reason="Duplicate")
    boards.set_archived(card=card, by=user, archived=True)
    assert set(kinds("accessibility")) == {"person", "resource"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_postgresql_stems_words_and_ranks_titles_first() -> None:
    user = factories.member()
    factories.link_resource(by=user, title="Testing with users")
    topic = factories.topic(by=user, title="Events")
    conversations.create_post(topic=topic, by=user, body="We tested the forms with users last week")
    results = list(queries.search("test"))
    assert [r.kind for r in results] == ["resource", "post"]


def test_the_fallback_matches_every_word() -> None:
    user = factories.member()
    factories.link_resource(by=user, title="Accessibility testing guide")
    factories.link_resource(by=user, title="Accessibility statement template")
    assert {d.title for d in queries.search("accessibility guide")} == {
        "Accessibility testing guide"
    }
    assert not queries.search("   ").exists()


def test_the_search_page_lists_events_too(client: Client) -> None:
    EventFactory(title="Accessibility meetup", starts_at=timezone.now() + timedelta(days=3))
    client.force_login(factories.member())
    page = client.get("/network/search/?q=accessibility").content.decode()
    assert "Accessibility meetup" in page
    only_events = client.get("/network/search/?q=accessibility&kind=event").content.decode()
    assert "Accessibility meetup" in only_events
    assert client.get("/network/search/?kind=nonsense&q=x").status_code == 200
