"""What phones poll: the room's payload (built once per state, the right
answer only after the deadline, scores without names beyond the top
players) and each phone's own state from mine/ (two queries, unlogged)."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from fingerpost.quiz import services
from fingerpost.quiz.models import LiveSession, Player

from ..querycount import assert_query_count
from .factories import join, make_session, right_choice, wrong_choice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shared_cache_in_memory(settings) -> None:
    # Redis in production; a cache in memory stands in for it here (one
    # process, so it is shared by everything the test runs).
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
    }


def _phone(session: LiveSession, player: Player) -> Client:
    client = Client()
    client.cookies[f"fp_quiz_{session.code}"] = player.token
    return client


def _poll(session: LiveSession) -> dict:
    response = Client().get(f"/quiz/{session.code}/state/")
    assert response.status_code == 200
    return response.json()


def _answer(session: LiveSession, player: Player, choice_id: int) -> None:
    services.answer(
        code=session.code, player_token=player.token, position=session.position, choice_id=choice_id
    )


def _deadline_passes(session: LiveSession) -> None:
    # As time running out does: no service call, only the clock.
    LiveSession.objects.filter(pk=session.pk).update(
        deadline=timezone.now() - timedelta(seconds=5),
        question_started_at=timezone.now() - timedelta(seconds=25),
    )


def test_the_payload_never_holds_the_right_answer_before_the_deadline() -> None:
    session = make_session()
    ada = join(session, "Ada")
    session = services.next_question(by=session.host, session_id=session.pk)
    _answer(session, ada, right_choice(session).pk)
    payload = _poll(session)
    assert payload["phase"] == "question"
    assert [c["text"] for c in payload["question"]["choices"]] == ["Right", "Wrong"]
    assert 0 < payload["remaining_ms"] <= 20_000
    text = json.dumps(payload)
    for secret in ("right", "correct", "explanation", "Because.", "scores", "leaders"):
        assert f'"{secret}"' not in text and "Because." not in text, secret
    # Nor does the player's own state tell: not whether it was right, nor its points.
    mine = _phone(session, ada).get(f"/quiz/{session.code}/mine/").json()
    assert mine["answered"] == right_choice(session).pk
    assert mine["correct"] is None and mine["points"] is None and mine["score"] == 0


def test_after_the_deadline_the_payload_holds_the_right_answer_and_scores() -> None:
    session = make_session()
    ada, bob = join(session, "Ada"), join(session, "Bob")
    session = services.next_question(by=session.host, session_id=session.pk)
    _answer(session, ada, right_choice(session).pk)
    _answer(session, bob, wrong_choice(session).pk)
    _deadline_passes(session)
    payload = _poll(session)
    assert payload["phase"] == "answer" and payload["remaining_ms"] == 0
    assert payload["question"]["right"] == [right_choice(session).pk]
    assert payload["question"]["explanation"] == "Because."
    assert payload["scores"][0] == 0 and payload["scores"][1] > 500
    assert "leaders" not in payload
    mine = _phone(session, ada).get(f"/quiz/{session.code}/mine/").json()
    assert mine["correct"] is True and mine["points"] == payload["scores"][1]
    assert mine["score"] == mine["points"]
    theirs = _phone(session, bob).get(f"/quiz/{session.code}/mine/").json()
    assert theirs["correct"] is False and theirs["points"] == 0 and theirs["score"] == 0


def test_the_leaderboard_names_the_top_five_only_and_scores_everyone() -> None:
    session = make_session()
    players = [join(session, f"Name{n}") for n in range(7)]
    session = services.next_question(by=session.host, session_id=session.pk)
    for player in players[:4]:
        _answer(session, player, right_choice(session).pk)
    services.hide_player(by=session.host, session_id=session.pk, player_id=players[0].pk)
    session = services.close_question(by=session.host, session_id=session.pk)
    session = services.show_leaderboard(by=session.host, session_id=session.pk)
    payload = _poll(session)
    assert payload["phase"] == "leaderboard"
    assert len(payload["scores"]) == 7 and payload["scores"] == sorted(payload["scores"])
    assert [s > 0 for s in payload["scores"]].count(True) == 4
    names = [leader["name"] for leader in payload["leaders"]]
    assert len(names) == 5 and f"Player {players[0].pk}" in names
    text = json.dumps(payload)
    assert "Name0" not in text  # hidden
    assert sum(f"Name{n}" in text for n in range(1, 7)) == 4  # two not in the top five
    # At the podium, the top three.
    session = services.next_question(by=session.host, session_id=session.pk)
    session = services.close_question(by=session.host, session_id=session.pk)
    session = services.show_leaderboard(by=session.host, session_id=session.pk)
    session = services.next_question(by=session.host, session_id=session.pk)
    session = services.close_question(by=session.host, session_id=session.pk)
    session = services.finish_session(by=session.host, session_id=session.pk)
    podium = _poll(session)
    assert podium["phase"] == "finished" and len(podium["leaders"]) == 3


def test_the_payload_is_built_once_for_the_room(settings) -> None:
    session = make_session()
    join(session, "Ada")
    session = services.next_question(by=session.host, session_id=session.pk)
    _poll(session)  # the first phone builds it
    with assert_query_count(1):  # the state; the payload from the shared cache
        _poll(session)
    settings.FINGERPOST_QUIZ_STATE_CACHE = "default"
    _poll(session)
    with assert_query_count(0):
        _poll(session)


def test_mine_makes_two_queries_and_is_not_logged(caplog) -> None:
    session = make_session()
    ada = join(session, "Ada")
    session = services.next_question(by=session.host, session_id=session.pk)
    _answer(session, ada, right_choice(session).pk)
    session = services.close_question(by=session.host, session_id=session.pk)
    phone = _phone(session, ada)
    # The player with the session's fields, and their answers.
    with caplog.at_level(logging.INFO, logger="fingerpost.requests"), assert_query_count(2):
        response = phone.get(f"/quiz/{session.code}/mine/")
    assert response.status_code == 200
    mine = response.json()
    assert mine["points"] > 500 and mine["score"] == mine["points"]
    assert mine | {"points": None, "score": None} == {
        "name": "Ada",
        "hidden": False,
        "score": None,
        "position": 0,
        "answered": right_choice(session).pk,
        "correct": True,
        "points": None,
        "joined_late": False,
        "closed": True,
    }
    assert "no-store" in response["Cache-Control"]
    assert not [r for r in caplog.records if r.name == "fingerpost.requests"]


def test_a_late_joiner_is_told_by_mine() -> None:
    session = make_session()
    session = services.next_question(by=session.host, session_id=session.pk)
    late = join(session, "Lou")
    assert _phone(session, late).get(f"/quiz/{session.code}/mine/").json()["joined_late"]


def test_unknown_codes_and_strangers_are_not_found() -> None:
    session = make_session()
    ada = join(session, "Ada")
    unknown = "999999" if session.code != "999999" else "999998"
    for path in [
        f"/quiz/{unknown}/state/",
        f"/quiz/{unknown}/mine/",
        "/quiz/abc/mine/",
        "/quiz/123456789/mine/",
        f"/quiz/{session.code}/mine/",  # no cookie
    ]:
        assert Client().get(path).status_code == 404, path
    # A player's cookie names the player in their own session only.
    stranger = Client()
    stranger.cookies[f"fp_quiz_{unknown}"] = ada.token
    assert stranger.get(f"/quiz/{unknown}/mine/").status_code == 404
