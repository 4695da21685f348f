"""The live game's rules: scoring, the deadline by the server's clock,
nicknames, late joiners, reconnecting and the presenter's pace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fingerpost.core.errors import Conflict, Invalid, NotFound
from fingerpost.quiz import queries, room, services
from fingerpost.quiz.models import Answer, Phase, Question
from fingerpost.quiz.scoring import BASE_POINTS, SPEED_POINTS, effective_phase, points_for

from .factories import join, make_session, right_choice, wrong_choice

pytestmark = pytest.mark.django_db


def _open(session, now=None):
    return services.next_question(by=session.host, session_id=session.pk, now=now)


def test_points_reward_being_right_and_quick() -> None:
    assert points_for(correct=False, elapsed_ms=0, limit_seconds=20) == 0
    assert points_for(correct=True, elapsed_ms=0, limit_seconds=20) == BASE_POINTS + SPEED_POINTS
    assert points_for(correct=True, elapsed_ms=10_000, limit_seconds=20) == BASE_POINTS + 250
    assert points_for(correct=True, elapsed_ms=20_000, limit_seconds=20) == BASE_POINTS
    assert points_for(correct=True, elapsed_ms=99_000, limit_seconds=20) == BASE_POINTS


def test_a_right_quick_answer_scores_more_than_a_right_slow_one() -> None:
    session = make_session()
    quick, slow, wrong = join(session, "Quick"), join(session, "Slow"), join(session, "Wrong")
    started = timezone.now()
    session = _open(session, now=started)
    choice = right_choice(session)
    services.answer(
        code=session.code,
        player_token=quick.token,
        position=0,
        choice_id=choice.pk,
        now=started + timedelta(seconds=2),
    )
    services.answer(
        code=session.code,
        player_token=slow.token,
        position=0,
        choice_id=choice.pk,
        now=started + timedelta(seconds=15),
    )
    services.answer(
        code=session.code,
        player_token=wrong.token,
        position=0,
        choice_id=wrong_choice(session).pk,
        now=started + timedelta(seconds=1),
    )
    points = dict(Answer.objects.values_list("player__nickname", "points"))
    assert points["Quick"] == 950
    assert points["Slow"] == 625
    assert points["Wrong"] == 0
    assert [p.nickname for p in queries.leaderboard(session)] == ["Quick", "Slow", "Wrong"]


def test_answers_after_the_deadline_are_refused_by_the_server_clock() -> None:
    session = make_session(seconds=10)
    player = join(session, "Late")
    started = timezone.now()
    session = _open(session, now=started)
    with pytest.raises(Conflict, match="Time is up"):
        services.answer(
            code=session.code,
            player_token=player.token,
            position=0,
            choice_id=right_choice(session).pk,
            now=started + timedelta(seconds=10),
        )
    assert not Answer.objects.exists()
    # Just in time counts.
    services.answer(
        code=session.code,
        player_token=player.token,
        position=0,
        choice_id=right_choice(session).pk,
        now=started + timedelta(seconds=9, milliseconds=999),
    )
    assert Answer.objects.count() == 1


def test_the_phase_shows_the_answer_once_time_is_up() -> None:
    session = make_session(seconds=10)
    started = timezone.now()
    session = _open(session, now=started)
    assert effective_phase(session, started + timedelta(seconds=9)) == Phase.QUESTION
    assert effective_phase(session, started + timedelta(seconds=10)) == Phase.ANSWER


def test_an_answer_counts_once() -> None:
    session = make_session()
    player = join(session, "Twice")
    session = _open(session)
    services.answer(
        code=session.code, player_token=player.token, position=0, choice_id=wrong_choice(session).pk
    )
    with pytest.raises(Conflict, match="already answered"):
        services.answer(
            code=session.code,
            player_token=player.token,
            position=0,
            choice_id=right_choice(session).pk,
        )
    assert Answer.objects.get().correct is False


def test_only_the_open_question_and_its_own_answers_are_taken() -> None:
    session = make_session(questions=2)
    player = join(session, "Ada")
    with pytest.raises(Conflict, match="not open"):
        services.answer(
            code=session.code,
            player_token=player.token,
            position=0,
            choice_id=right_choice(session, 0).pk,
        )
    session = _open(session)
    with pytest.raises(Invalid):
        services.answer(
            code=session.code,
            player_token=player.token,
            position=0,
            choice_id=right_choice(session, 1).pk,
        )
    with pytest.raises(Conflict):
        services.answer(
            code=session.code,
            player_token=player.token,
            position=1,
            choice_id=right_choice(session, 1).pk,
        )
    with pytest.raises(NotFound):
        services.answer(
            code=session.code,
            player_token="not-a-token",
            position=0,
            choice_id=right_choice(session).pk,
        )
    assert not Answer.objects.exists()


def test_duplicate_nicknames_are_refused_whatever_their_case() -> None:
    session = make_session()
    join(session, "Ada Lovelace")
    with pytest.raises(Invalid, match="already has that nickname"):
        join(session, "  ada   LOVELACE ")
    other = make_session()
    assert join(other, "Ada Lovelace").nickname == "Ada Lovelace"


@pytest.mark.parametrize("nickname", ["", "   ", "x" * 21, "Player 7", "\u200b"])
def test_bad_nicknames_are_refused(nickname: str) -> None:
    session = make_session()
    with pytest.raises(Invalid):
        join(session, nickname)


def test_unknown_codes_and_finished_quizzes_refuse_players() -> None:
    session = make_session()
    with pytest.raises(Invalid, match="no quiz with that code"):
        services.join_session(
            code="000000" if session.code != "000000" else "000001", nickname="Ada"
        )
    services.finish_session(by=session.host, session_id=session.pk)
    with pytest.raises(Conflict, match="finished"):
        join(session, "Ada")


def test_the_organiser_hides_an_offensive_nickname() -> None:
    session = make_session()
    rude = join(session, "Rude name")
    services.hide_player(by=session.host, session_id=session.pk, player_id=rude.pk)
    rude.refresh_from_db()
    assert rude.hidden and rude.shown_name == f"Player {rude.pk}"
    assert "Rude name" not in [p.shown_name for p in queries.players(session)]


def test_a_late_joiner_comes_in_at_the_next_question() -> None:
    session = make_session(questions=2)
    session = _open(session)
    late = join(session, "Late")
    with pytest.raises(Conflict, match="next one"):
        services.answer(
            code=session.code,
            player_token=late.token,
            position=0,
            choice_id=right_choice(session).pk,
        )
    session = _open(session)
    services.answer(
        code=session.code, player_token=late.token, position=1, choice_id=right_choice(session).pk
    )
    assert queries.standing(late).score > 0


def test_a_player_who_reconnects_keeps_their_place_and_score() -> None:
    session = make_session(questions=2)
    player = join(session, "Ada")
    join(session, "Bob")
    session = _open(session)
    services.answer(
        code=session.code, player_token=player.token, position=0, choice_id=right_choice(session).pk
    )
    # A reload or lost signal: the device still has the token.
    again = queries.player_for(session.code, player.token)
    assert again is not None and again.pk == player.pk
    standing = queries.standing(again)
    assert standing.rank == 1 and standing.score > 0 and standing.of == 2


def test_the_presenter_sets_the_pace_to_the_podium() -> None:
    session = make_session(questions=2)
    host = session.host
    session = services.next_question(by=host, session_id=session.pk)
    assert (session.phase, session.position) == (Phase.QUESTION, 0)
    version = session.version
    session = services.close_question(by=host, session_id=session.pk)
    assert effective_phase(session, timezone.now()) == Phase.ANSWER
    assert session.version > version
    with pytest.raises(Conflict):
        services.close_question(by=host, session_id=session.pk)
    session = services.show_leaderboard(by=host, session_id=session.pk)
    assert session.phase == Phase.LEADERBOARD
    session = services.next_question(by=host, session_id=session.pk)
    with pytest.raises(Conflict, match="last question"):
        services.next_question(by=host, session_id=session.pk)
    session = services.finish_session(by=host, session_id=session.pk)
    assert session.phase == Phase.FINISHED
    with pytest.raises(Conflict):
        services.next_question(by=host, session_id=session.pk)


def test_only_the_host_or_the_operator_runs_a_session() -> None:
    from tests.factories import UserFactory

    session = make_session()
    other = UserFactory(role="organiser")
    with pytest.raises(NotFound):
        services.next_question(by=other, session_id=session.pk)
    admin = UserFactory(role="admin")
    assert services.next_question(by=admin, session_id=session.pk).position == 0


def test_editing_the_quiz_never_changes_a_session_started() -> None:
    session = make_session(questions=2)
    before = list(session.question_ids)
    services.update_quiz(
        by=session.host,
        quiz_id=session.quiz_id,
        title="Changed",
        seconds_per_question=30,
        question_ids=before[:1],
    )
    session.refresh_from_db()
    assert session.question_ids == before and session.seconds_per_question == 20


def test_results_by_point_put_the_weakest_first() -> None:
    session = make_session(questions=2)
    players = [join(session, f"P{n}") for n in range(4)]
    session = _open(session)  # point 1
    for p in players:
        services.answer(
            code=session.code, player_token=p.token, position=0, choice_id=right_choice(session).pk
        )
    session = _open(session)  # point 2
    for n, p in enumerate(players):
        choice = right_choice(session) if n == 0 else wrong_choice(session)
        services.answer(code=session.code, player_token=p.token, position=1, choice_id=choice.pk)
    points = queries.results_by_point(session)
    assert [(p.point, p.percent_right) for p in points] == [(2, 25), (1, 100)]
    by_question = queries.results_by_question(session)
    assert [(q.answered, q.right) for q in by_question] == [(4, 4), (4, 1)]


def test_a_question_edited_during_a_session_is_read_again_from_the_shared_cache(
    django_capture_on_commit_callbacks,
) -> None:
    session = _open(make_session(questions=2))
    first = session.question_ids[0]
    assert room.question(first).text == "A question on point 1?"  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        services.update_question(
            by=session.host,
            question_id=first,
            text="Reworded?",
            point=1,
            explanation="Still because.",
            choices=[("Right", False), ("Wrong", True)],
        )
    edited = room.question(first)
    assert edited.text == "Reworded?"
    assert [c.text for c in edited.choices if c.correct] == ["Wrong"]


def test_a_question_changed_outside_the_services_is_read_afresh_when_it_opens(
    django_capture_on_commit_callbacks,
) -> None:
    session = make_session(questions=2)
    second = session.question_ids[1]
    assert room.question(second).text == "A question on point 2?"  # cached earlier
    Question.objects.filter(pk=second).update(text="Edited in the admin site?")
    assert room.question(second).text == "A question on point 2?"
    with django_capture_on_commit_callbacks(execute=True):
        _open(session)
        _open(session)
    assert room.question(second).text == "Edited in the admin site?"


def test_the_same_answer_twice_is_refused_as_already_answered_and_counted_once() -> None:
    session = make_session()
    player = join(session, "Twice")
    session = _open(session)
    choice = right_choice(session).pk
    services.answer(code=session.code, player_token=player.token, position=0, choice_id=choice)
    with pytest.raises(Conflict, match="already answered"):
        services.answer(code=session.code, player_token=player.token, position=0, choice_id=choice)
    assert Answer.objects.filter(player=player).count() == 1
