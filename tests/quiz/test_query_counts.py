"""Pages stay flat as a room fills up, and the hot paths make a fixed,
small number of queries: a phone's poll, its page and its answer."""

from __future__ import annotations

import pytest
from django.test import Client

from fingerpost.quiz import services

from ..querycount import assert_flat_query_count, assert_query_count
from .factories import join, make_question, make_session, right_choice

pytestmark = pytest.mark.django_db


def _room(session, count: int, start: int = 0):
    return [join(session, f"P{start + n}") for n in range(count)]


def test_presenter_and_results_pages_are_flat() -> None:
    session = make_session(questions=2)
    _room(session, 2)
    client = Client()
    client.force_login(session.host)
    added = iter(range(100, 10_000, 5))
    assert_flat_query_count(
        client, f"/quiz/present/{session.code}/", lambda: _room(session, 5, next(added))
    )
    session = services.next_question(by=session.host, session_id=session.pk)

    def answers() -> None:
        for player in _room(session, 3, next(added)):
            player.joined_at = session.question_started_at
            player.save(update_fields=["joined_at"])
            services.answer(
                code=session.code,
                player_token=player.token,
                position=0,
                choice_id=right_choice(session).pk,
            )

    assert_flat_query_count(client, f"/quiz/present/{session.code}/", answers)
    assert_flat_query_count(client, f"/quiz/results/{session.code}/", answers)
    services.show_leaderboard(by=session.host, session_id=session.pk)
    assert_flat_query_count(
        client, f"/quiz/present/{session.code}/", lambda: _room(session, 3, next(added))
    )
    assert_flat_query_count(client, "/quiz/manage/", lambda: make_session(host=session.host))
    assert_flat_query_count(client, "/quiz/questions/", lambda: make_question())


def test_a_phone_polls_with_one_query_and_answers_in_five() -> None:
    session = make_session()
    player = join(session, "Ada")
    session = services.next_question(by=session.host, session_id=session.pk)
    client = Client()
    with assert_query_count(1):
        client.get(f"/quiz/{session.code}/state/")
    # Lock the player, look for an earlier answer, the choice, the insert
    # (and the transaction's savepoint pair under the test's transaction).
    choice = right_choice(session).pk
    with assert_query_count(6):
        services.answer(code=session.code, player_token=player.token, position=0, choice_id=choice)


def test_a_poll_from_the_shared_cache_makes_no_query(settings) -> None:
    settings.FINGERPOST_QUIZ_STATE_CACHE = "default"
    session = make_session()
    client = Client()
    with assert_query_count(1):
        first = client.get(f"/quiz/{session.code}/state/")
    with assert_query_count(0):
        again = client.get(f"/quiz/{session.code}/state/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
