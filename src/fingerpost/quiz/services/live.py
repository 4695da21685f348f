"""Live sessions: the presenter sets the pace, players join with the code
and answer once per question before the deadline, by the server's clock.

The session row is the shared state. Every change by the presenter locks
it, moves it on and bumps `version`, which is what players' phones poll.
An answer is one INSERT guarded by a unique constraint, so 500 players
answering at once never wait for each other and nobody's answer counts
twice.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from fingerpost.core.errors import Conflict, Invalid, NotFound
from fingerpost.core.text import visible_text

from .. import queries, records, room, state
from ..models import Answer, LiveSession, Phase, Player, Quiz
from ..scoring import effective_phase, points_for

CODE_LENGTH = 6
NICKNAME_MAX = 20


def _new_code() -> str:
    # Digits only: phones show a number pad for the join code.
    return "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))


def start_session(*, by: Any, quiz_id: int) -> LiveSession:
    quiz = Quiz.objects.filter(pk=quiz_id).first()
    if quiz is None:
        raise NotFound("There is no such quiz")
    ids = list(quiz.items.values_list("question_id", flat=True))
    if not ids:
        raise Invalid("Add questions to the quiz before starting it", field="quiz")
    for _ in range(20):
        try:
            with transaction.atomic():
                session = LiveSession.objects.create(
                    quiz=quiz,
                    code=_new_code(),
                    host=by,
                    title=quiz.title,
                    question_ids=ids,
                    seconds_per_question=quiz.seconds_per_question,
                )
                records.record(
                    actor=by,
                    action="quiz.session_started",
                    subject_type="quiz_session",
                    reference=session.code,
                )
            return session
        except IntegrityError:
            continue  # the code was taken: draw another
    raise Conflict("Could not find a free join code. Try again")


def _locked(by: Any, session_id: int) -> LiveSession:
    session = queries.sessions_run_by(by).select_for_update().filter(pk=session_id).first()
    if session is None:
        raise NotFound("There is no such quiz session")
    if session.phase == Phase.FINISHED:
        raise Conflict("This quiz has finished")
    return session


def _save(session: LiveSession, *fields: str) -> None:
    # The row is locked, so reading and bumping the version is safe.
    session.version += 1
    session.save(update_fields=[*fields, "version"])
    state.publish(session)


def next_question(*, by: Any, session_id: int, now: datetime | None = None) -> LiveSession:
    """Open the next question for answers (closing the current one if it is still open)."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(by, session_id)
        if session.position + 1 >= session.question_count:
            raise Conflict("That was the last question. Show the podium")
        session.position += 1
        session.phase = Phase.QUESTION
        session.question_started_at = now
        session.deadline = now + timedelta(seconds=session.seconds_per_question)
        # Read afresh as it opens, whatever edited it since it was cached
        # (before the state is published, so no phone reads the old copy).
        room.forget_question(session.question_ids[session.position])
        _save(session, "position", "phase", "question_started_at", "deadline")
    return session


def close_question(*, by: Any, session_id: int, now: datetime | None = None) -> LiveSession:
    """Stop taking answers now, before the time is up, and show the answer."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(by, session_id)
        if effective_phase(session, now) != Phase.QUESTION:
            raise Conflict("This question is already closed")
        session.deadline = now
        _save(session, "deadline")
    return session


def show_leaderboard(*, by: Any, session_id: int, now: datetime | None = None) -> LiveSession:
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(by, session_id)
        if session.position < 0:
            raise Conflict("Ask a question first")
        if effective_phase(session, now) == Phase.QUESTION:
            session.deadline = now
        session.phase = Phase.LEADERBOARD
        _save(session, "phase", "deadline")
    return session


def finish_session(*, by: Any, session_id: int, now: datetime | None = None) -> LiveSession:
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(by, session_id)
        if effective_phase(session, now) == Phase.QUESTION:
            session.deadline = now
        session.phase = Phase.FINISHED
        session.finished_at = now
        _save(session, "phase", "deadline", "finished_at")
        records.record(
            actor=by,
            action="quiz.session_finished",
            subject_type="quiz_session",
            reference=session.code,
        )
    return session


def show_points_chart(*, by: Any, session_id: int, shown: bool) -> LiveSession:
    """Put the room's results by Service Standard point on the big screen (or take them off)."""
    with transaction.atomic():
        session = queries.sessions_run_by(by).select_for_update().filter(pk=session_id).first()
        if session is None:
            raise NotFound("There is no such quiz session")
        session.show_points_chart = shown
        _save(session, "show_points_chart")
    return session


def hide_player(*, by: Any, session_id: int, player_id: int) -> Player:
    """Hide an offensive nickname: everyone sees "Player <number>" instead."""
    with transaction.atomic():
        session = queries.sessions_run_by(by).select_for_update().filter(pk=session_id).first()
        if session is None:
            raise NotFound("There is no such quiz session")
        player = Player.objects.filter(session=session, pk=player_id).first()
        if player is None:
            raise NotFound("There is no such player")
        player.hidden = True
        player.save(update_fields=["hidden"])
        _save(session)
        records.record(
            actor=by,
            action="quiz.nickname_hidden",
            subject_type="quiz_session",
            reference=session.code,
            detail=f"player {player.pk}",
        )
    return player


def clean_nickname(value: str) -> str:
    nickname = " ".join(visible_text(value).split())
    if not nickname:
        raise Invalid("Enter a nickname", field="nickname")
    if len(nickname) > NICKNAME_MAX:
        raise Invalid(f"Your nickname must be {NICKNAME_MAX} characters or fewer", field="nickname")
    if nickname.casefold().startswith("player "):
        raise Invalid("Choose a nickname that does not start with 'Player'", field="nickname")
    return nickname


def join_session(*, code: str, nickname: str) -> Player:
    """A new player; the caller keeps `player.token` on the player's device."""
    nickname = clean_nickname(nickname)
    session = queries.session_by_code(code)
    if session is None:
        raise Invalid(
            "There is no quiz with that code. Check the code on the big screen", field="code"
        )
    if session.phase == Phase.FINISHED:
        raise Conflict("This quiz has finished")
    if queries.player_count(session) >= settings.FINGERPOST_QUIZ_MAX_PLAYERS:
        raise Conflict("This quiz is full")
    try:
        with transaction.atomic():
            return Player.objects.create(
                session=session, nickname=nickname, token=secrets.token_urlsafe(32)
            )
    except IntegrityError:
        # Two phones asking for the same name at once: the database decides.
        raise Invalid(
            "Someone in this quiz already has that nickname. Choose another", field="nickname"
        ) from None


def answer(
    *,
    code: str,
    player_token: str,
    position: int,
    choice_id: int,
    now: datetime | None = None,
    player: Player | None = None,
) -> Answer:
    """Record a player's answer to the open question: one read of the player
    with their session (unless the caller has just read it, as `player`), the
    question from the shared cache, and one INSERT. The unique constraint on
    (player, position) is what makes an answer count once, however many taps
    arrive at the same instant; nothing is locked. The time is taken when the
    answer arrives, so a slow database never costs a player the deadline."""
    now = now or timezone.now()
    if player is None or player.token != player_token or player.session.code != code:
        player = (
            Player.objects.select_related("session")
            .filter(token=player_token, session__code=code)
            .first()
        )
    if player is None:
        raise NotFound("Join the quiz first")
    session = player.session
    if session.phase != Phase.QUESTION or position != session.position:
        raise Conflict("This question is not open for answers")
    assert session.deadline and session.question_started_at
    if now >= session.deadline:
        raise Conflict("Time is up: answers for this question have closed")
    if player.joined_at > session.question_started_at:
        raise Conflict("You joined during this question. You can answer from the next one")
    question = room.question(session.question_ids[position])
    choice = question.choice(choice_id) if question else None
    if question is None or choice is None:
        raise Invalid("Choose one of the answers", field="choice")
    elapsed_ms = max(0, int((now - session.question_started_at).total_seconds() * 1000))
    try:
        with transaction.atomic():
            return Answer.objects.create(
                session=session,
                player=player,
                position=position,
                question_id=question.id,
                choice_id=choice.id,
                correct=choice.correct,
                points=points_for(
                    correct=choice.correct,
                    elapsed_ms=elapsed_ms,
                    limit_seconds=session.seconds_per_question,
                ),
                elapsed_ms=elapsed_ms,
                answered_at=now,
            )
    except IntegrityError:
        if Answer.objects.filter(player=player, position=position).exists():
            raise Conflict("You have already answered this question") from None
        raise  # not a second answer: something else is wrong
