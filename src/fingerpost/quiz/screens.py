"""What the presenter's screen and a player's phone show in each phase,
built from the session row and the server's clock (reads only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from . import queries, standard
from .models import LiveSession, Phase, Player
from .scoring import effective_phase, remaining_ms, state_tag

LETTERS = "ABCD"


def _question_context(session: LiveSession, phase: str) -> dict[str, Any]:
    if phase not in (Phase.QUESTION, Phase.ANSWER):
        return {}
    question = queries.session_question(session)
    if question is None:
        return {}
    choices = [
        {"id": c.pk, "letter": LETTERS[n], "text": c.text, "correct": c.is_correct}
        for n, c in enumerate(question.choices.all())
    ]
    return {
        "question": question,
        "point_title": standard.point_title(question.point),
        "choices": choices,
        "number": session.position + 1,
    }


def common(session: LiveSession) -> dict[str, Any]:
    now = timezone.now()
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
    context = common(session)
    phase = context["phase"]
    context["me"] = me
    if phase in (Phase.QUESTION, Phase.ANSWER):
        mine = queries.player_answer(me, session.position)
        context["my_answer"] = mine
        context["joined_late"] = bool(
            session.question_started_at and me.joined_at > session.question_started_at
        )
    if phase in (Phase.ANSWER, Phase.LEADERBOARD, Phase.FINISHED):
        context["standing"] = queries.standing(me)
    if phase in (Phase.LEADERBOARD, Phase.FINISHED):
        context["leaders"] = queries.leaderboard(
            session, limit=5 if phase == Phase.LEADERBOARD else 3
        )
    return context
