"""What the presenter's screen and a player's phone show in each phase,
built from the session row and the server's clock (reads only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from . import queries, room, standard
from .models import LiveSession, Phase, Player
from .scoring import effective_phase, remaining_ms, state_tag


@dataclass(frozen=True)
class MyAnswer:
    choice_id: int
    points: int
    correct: bool


def _question_context(session: LiveSession, phase: str) -> dict[str, Any]:
    if phase not in (Phase.QUESTION, Phase.ANSWER):
        return {}
    if not 0 <= session.position < session.question_count:
        return {}
    question = room.question(session.question_ids[session.position])
    if question is None:
        return {}
    # A dictionary each: the presenter's screen adds how many chose it.
    choices = [
        {"id": c.id, "letter": c.letter, "text": c.text, "correct": c.correct}
        for c in question.choices
    ]
    return {
        "question": question,
        "point_title": standard.point_title(question.point),
        "choices": choices,
        "number": session.position + 1,
    }


def common(session: LiveSession, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    phase = effective_phase(session, now)
    return {
        "session": session,
        "phase": phase,
        "tag": state_tag(session, now),
        "remaining_ms": remaining_ms(session, now),
        "poll_ms": settings.FINGERPOST_QUIZ_POLL_MS,
        "is_last": session.position + 1 >= session.question_count,
        **_question_context(session, phase),
    }


def presenter(session: LiveSession) -> dict[str, Any]:
    context = common(session)
    phase = context["phase"]
    if phase == Phase.LOBBY:
        context["players"] = list(queries.players(session))
    if phase == Phase.QUESTION:
        context["answered"] = queries.answer_count(session, session.position)
        context["player_total"] = queries.player_count(session)
    if phase == Phase.ANSWER:
        counts = queries.choice_counts(session, session.position)
        for choice in context.get("choices", []):
            choice["count"] = counts.get(choice["id"], 0)
        context["answered"] = sum(counts.values())
    if phase == Phase.LEADERBOARD:
        context["leaders"] = queries.leaderboard(session, limit=5)
    if phase == Phase.FINISHED:
        context["leaders"] = queries.leaderboard(session, limit=3)
        if session.show_points_chart:
            context["points"] = queries.results_by_point(session)
    return context


def presenter_tag(session: LiveSession, context: dict[str, Any]) -> str:
    """The presenter's screen also changes as players join and answer."""
    if context["phase"] == Phase.LOBBY:
        return f"{context['tag']}-{len(context['players'])}"
    if context["phase"] == Phase.QUESTION:
        return f"{context['tag']}-{context['answered']}-{context['player_total']}"
    return str(context["tag"])


def player(session: LiveSession, me: Player) -> dict[str, Any]:
    """What `me` (a player from `queries.player_for`: with their score and
    current answer) sees. The question and the room's scores come from the
    shared cache, so a room of phones asking at once reads them once."""
    now = timezone.now()
    context = common(session, now)
    phase = context["phase"]
    context["me"] = me
    if phase in (Phase.QUESTION, Phase.ANSWER):
        context["my_answer"] = (
            MyAnswer(me.current_choice_id, me.current_points, me.current_correct)  # type: ignore[attr-defined]
            if me.current_choice_id is not None  # type: ignore[attr-defined]
            else None
        )
        context["joined_late"] = bool(
            session.question_started_at and me.joined_at > session.question_started_at
        )
    if phase in (Phase.ANSWER, Phase.LEADERBOARD, Phase.FINISHED):
        board = room.scores(session.pk, context["tag"], deadline=session.deadline, now=now)
        score: int = me.score  # type: ignore[attr-defined]
        context["standing"] = queries.Standing(
            score=score, rank=board.rank(score), of=board.players
        )
        if phase != Phase.ANSWER:
            context["leaders"] = board.leaders[: 5 if phase == Phase.LEADERBOARD else 3]
    return context
