"""What a phone polls for: everything it needs to draw the screen, built
once per (session, state tag) into the shared cache, so a room of phones
asking after a change costs one build, not one page each.

Before the deadline the payload holds the question and its choices and
never which is right; from the deadline on (a new tag: `state_tag` uses the
effective phase) it holds the right choice ids and the explanation; from
then on, every player's score (scores only, so a phone can work out its own
place; names only of the top players shown at the leaderboard and podium).
Seconds left are filled in per poll. What belongs to one player (their
score, their answer, right or not) comes from `mine` instead.

The cache is the state cache (`FINGERPOST_QUIZ_STATE_CACHE`) when one is
named, else the default cache, as `room.py` uses: never a process's own
memory in production, or other workers would serve what it no longer does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches

from . import room, standard
from .models import Answer, Phase, Player
from .scoring import effective_phase, poll_after_ms, remaining_ms, state_tag
from .state import LiveState

LEADERS: dict[str, int] = {Phase.LEADERBOARD: 5, Phase.FINISHED: 3}
SCORED = (Phase.ANSWER, Phase.LEADERBOARD, Phase.FINISHED)


def _cache() -> Any:
    return caches[settings.FINGERPOST_QUIZ_STATE_CACHE or "default"]


def _key(state: LiveState, tag: str) -> str:
    return f"quiz:poll:{state.session_id}:{tag}"


def _settled(state: LiveState, now: datetime) -> bool:
    # An answer sent just before the deadline may commit just after it.
    return (
        state.deadline is None or (now - state.deadline).total_seconds() >= room.UNSETTLED_SECONDS
    )


def _question(state: LiveState, phase: str) -> dict[str, Any] | None:
    if phase not in (Phase.QUESTION, Phase.ANSWER) or state.question_id is None:
        return None
    question = room.question(state.question_id)
    if question is None:
        return None
    shown: dict[str, Any] = {
        "text": question.text,
        "point": question.point,
        "point_title": standard.point_title(question.point),
        "choices": [{"id": c.id, "letter": c.letter, "text": c.text} for c in question.choices],
    }
    if phase == Phase.ANSWER:  # only once the deadline has passed
        shown["right"] = [c.id for c in question.choices if c.correct]
        shown["explanation"] = question.explanation
    return shown


def build(state: LiveState, now: datetime) -> dict[str, Any]:
    """The shared part of the payload for the state's tag at `now`."""
    phase = effective_phase(state, now)
    tag = state_tag(state, now)
    body: dict[str, Any] = {
        "tag": tag,
        "phase": phase,
        "position": state.position,
        "number": state.position + 1,
        "questions": state.question_count,
        "is_last": state.position + 1 >= state.question_count,
    }
    question = _question(state, phase)
    if question is not None:
        body["question"] = question
    if phase in SCORED:
        board = room.scores(state.session_id, tag, deadline=state.deadline, now=now)
        body["scores"] = list(board.ascending)
        if phase in LEADERS:
            body["leaders"] = [
                {"name": leader.shown_name, "score": leader.score}
                for leader in board.leaders[: LEADERS[phase]]
            ]
    return body


def payload(state: LiveState, now: datetime) -> bytes:
    """The poll's body, as JSON: the shared part (from the cache, or built
    and added there) with the seconds left at this poll. The shared part is
    kept as compact JSON text: a fifth smaller than Django's encoding of the
    dictionary, for the same CPU (measured in one process)."""
    tag = state_tag(state, now)
    cache = _cache()
    key = _key(state, tag)
    shared = cache.get(key)
    if shared is None:
        shared = json.dumps(build(state, now), separators=(",", ":"))
        seconds = room.SCORES_SECONDS if _settled(state, now) else room.UNSETTLED_SECONDS
        # add, not set: a slow build never replaces one already shared.
        cache.add(key, shared, seconds)
    left, after = remaining_ms(state, now), poll_after_ms(state, now)
    return f'{shared[:-1]},"remaining_ms":{left},"poll_after_ms":{after}}}'.encode()


@dataclass(frozen=True)
class Mine:
    name: str
    hidden: bool
    score: int
    position: int
    choice_id: int | None  # this player's answer to the current question
    correct: bool | None  # None until the deadline has passed
    points: int | None  # the same
    joined_late: bool
    closed: bool  # the deadline has passed: nothing more can change this question's score

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "hidden": self.hidden,
            "score": self.score,
            "position": self.position,
            "answered": self.choice_id,
            "correct": self.correct,
            "points": self.points,
            "joined_late": self.joined_late,
            "closed": self.closed,
        }


def mine(code: str, token: str, now: datetime) -> Mine | None:
    """One player's own state, in two queries: the player with the session's
    few fields, and the player's answers. Whether an answer is right, and its
    points, only once the deadline has passed."""
    if not code.isdigit() or len(code) > 8 or not token or len(token) > 64:
        return None
    row = (
        Player.objects.filter(session__code=code, token=token)
        .values_list(
            "pk",
            "nickname",
            "hidden",
            "joined_at",
            "session__version",
            "session__phase",
            "session__position",
            "session__deadline",
            "session__question_started_at",
        )
        .first()
    )
    if row is None:
        return None
    pk, nickname, hidden, joined_at, version, phase, position, deadline, started = row
    answers = Answer.objects.filter(player_id=pk).values_list(
        "position", "points", "correct", "choice_id"
    )
    session = _Session(version=version, phase=phase, deadline=deadline)
    closed = effective_phase(session, now) != Phase.QUESTION
    score, choice_id, correct, points = 0, None, None, None
    for at, answer_points, answer_correct, answer_choice in answers:
        if at == position:
            choice_id = answer_choice
            if not closed:
                continue  # neither its points nor the sum may tell before the deadline
            correct, points = answer_correct, answer_points
        score += answer_points
    return Mine(
        name=f"Player {pk}" if hidden else nickname,
        hidden=hidden,
        score=score,
        position=position,
        choice_id=choice_id,
        correct=correct,
        points=points,
        joined_late=bool(phase == Phase.QUESTION and started is not None and joined_at > started),
        closed=closed,
    )


@dataclass(frozen=True)
class _Session:
    version: int
    phase: str
    deadline: datetime | None
