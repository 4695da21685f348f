"""Pages stay flat as a room fills up, and the hot paths make a fixed,
small number of queries: a phone's poll, its page and its answer; the
room's scores are summed once per state, not once per phone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

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

    client.get(f"/quiz/present/{session.code}/")  # the question is read once, then cached
    assert_flat_query_count(client, f"/quiz/present/{session.code}/", answers)
    assert_flat_query_count(client, f"/quiz/results/{session.code}/", answers)
    services.show_leaderboard(by=session.host, session_id=session.pk)
    assert_flat_query_count(
        client, f"/quiz/present/{session.code}/", lambda: _room(session, 3, next(added))
    )
    assert_flat_query_count(client, "/quiz/manage/", lambda: make_session(host=session.host))
    assert_flat_query_count(client, "/quiz/questions/", lambda: make_question())


def test_a_phone_polls_with_one_query_and_answers_with_one_read_and_one_insert() -> None:
    session = make_session()
    player = join(session, "Ada")
    session = services.next_question(by=session.host, session_id=session.pk)
    client = Client()
    first = client.get(f"/quiz/{session.code}/state/")  # the first phone builds the payload
    # The state, and the payload from the shared cache (the database cache
    # here: one query; none with Redis); nothing while nothing changed.
    with assert_query_count(2):
        client.get(f"/quiz/{session.code}/state/")
    with assert_query_count(1):
        unchanged = client.get(f"/quiz/{session.code}/state/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    # The player with their session, the question from the shared cache (the
    # database cache here: one query; none with Redis), and the insert (in
    # a savepoint pair under the test's transaction): nothing is locked.
    choice = right_choice(session).pk
    with assert_query_count(5):
        services.answer(code=session.code, player_token=player.token, position=0, choice_id=choice)


def _shared_cache_in_memory(settings) -> None:
    # Redis in production; a cache in memory stands in for it here (one
    # process, so it is shared by everything the test runs).
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }


def test_a_phones_page_makes_two_queries_and_the_room_sums_scores_once(settings) -> None:
    _shared_cache_in_memory(settings)
    session = make_session()
    phones = _room(session, 3)
    session = services.next_question(by=session.host, session_id=session.pk)
    clients = []
    for phone in phones:
        client = Client()
        client.cookies[f"fp_quiz_{session.code}"] = phone.token
        clients.append(client)
    part = f"/quiz/{session.code}/play/"
    clients[0].get(part)  # the first phone reads the question into the cache
    for client in clients:
        with assert_query_count(2):  # the player with the session; the player's answers
            assert client.get(part).status_code == 200
    services.answer(
        code=session.code,
        player_token=phones[0].token,
        position=0,
        choice_id=right_choice(session).pk,
    )
    services.show_leaderboard(by=session.host, session_id=session.pk)
    with CaptureQueriesContext(connection) as first:
        page = clients[1].get(part)
    assert "place <strong>2</strong> of 3" in page.content.decode()
    assert any("SUM(" in q["sql"] for q in first.captured_queries)
    for client in clients:  # the rest of the room reads the scores from the cache
        with assert_query_count(2):
            assert client.get(part).status_code == 200
    leader = clients[0].get(part).content.decode()
    assert "place <strong>1</strong> of 3" in leader and "P0" in leader


def test_a_poll_from_the_shared_cache_makes_no_query(settings) -> None:
    # Redis in production; a cache in memory stands in for it here.
    settings.CACHES = {
        **settings.CACHES,
        "quiz": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "quiz"},
    }
    settings.FINGERPOST_QUIZ_STATE_CACHE = "quiz"
    session = make_session()
    client = Client()
    with assert_query_count(1):
        first = client.get(f"/quiz/{session.code}/state/")
    with assert_query_count(0):
        again = client.get(f"/quiz/{session.code}/state/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
