"""What every phone in a room reads at the same moment: the open question
with its choices, and the scores behind the leaderboard and each player's
place. Read once and kept in the shared cache (`CACHES["default"]`: the
database cache, or Redis with CACHE_URL), so a room of 500 asking at once
costs one read, not 500, and the places are not summed again for every
phone (which made a room's page requests O(players²)).

A question is kept under its id and dropped when it is edited, archived or
opened by the presenter (so an edit made any other way, the admin site say,
is seen from the next question on). The scores are kept under the session's
state tag (version and phase): every move of the presenter makes a new tag,
and answers only change scores while a question is open, when no phone is
shown a place. A process's own memory is never used: the other workers
would keep showing what it no longer shows.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import IntegerField, Sum
from django.db.models.functions import Coalesce

from .models import Player, Question

QUESTION_SECONDS = 3600
# Long enough for one phase of a question; a new tag is a new key.
SCORES_SECONDS = 300
# An answer that arrived just before the deadline may still be committing
# just after it: scores read that soon are kept only this long.
UNSETTLED_SECONDS = 2
LETTERS = "ABCD"


@dataclass(frozen=True)
class ChoiceView:
    id: int
    letter: str
    text: str
    correct: bool


@dataclass(frozen=True)
class QuestionView:
    id: int
    text: str
    point: int
    explanation: str
    choices: tuple[ChoiceView, ...]

    def choice(self, choice_id: int) -> ChoiceView | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class Leader:
    shown_name: str
    score: int


@dataclass(frozen=True)
class Scores:
    """Every player's score in one session at one state tag."""

    ascending: tuple[int, ...]
    leaders: tuple[Leader, ...]  # the best five, ties by who joined first

    def rank(self, score: int) -> int:
        return 1 + len(self.ascending) - bisect_right(self.ascending, score)

    @property
    def players(self) -> int:
        return len(self.ascending)


def _question_key(question_id: int) -> str:
    return f"quiz:question:{question_id}"


def _scores_key(session_id: int, tag: str) -> str:
    return f"quiz:scores:{session_id}:{tag}"


def _read_question(question_id: int) -> QuestionView | None:
    found = Question.objects.prefetch_related("choices").filter(pk=question_id).first()
    if found is None:
        return None
    return QuestionView(
        id=found.pk,
        text=found.text,
        point=found.point,
        explanation=found.explanation,
        choices=tuple(
            ChoiceView(id=c.pk, letter=LETTERS[n], text=c.text, correct=c.is_correct)
            for n, c in enumerate(found.choices.all())
        ),
    )


def question(question_id: int) -> QuestionView | None:
    key = _question_key(question_id)
    view = cache.get(key)
    if view is None:
        view = _read_question(question_id)
        if view is not None:
            # add, not set: a read that began before an edit must not put
            # the old wording back after the edit dropped it.
            cache.add(key, view, QUESTION_SECONDS)
    return view


def forget_question(question_id: int) -> None:
    """Call inside the transaction that changed the question."""
    transaction.on_commit(lambda: cache.delete(_question_key(question_id)))


def _read_scores(session_id: int) -> Scores:
    rows = list(
        Player.objects.filter(session_id=session_id)
        .annotate(score=Coalesce(Sum("answers__points"), 0, output_field=IntegerField()))
        .order_by("-score", "joined_at", "id")
        .values_list("pk", "nickname", "hidden", "score")
    )
    leaders = tuple(
        Leader(shown_name=f"Player {pk}" if hidden else nickname, score=score)
        for pk, nickname, hidden, score in rows[:5]
    )
    return Scores(ascending=tuple(sorted(r[3] for r in rows)), leaders=leaders)


def scores(session_id: int, tag: str, *, deadline: datetime | None, now: datetime) -> Scores:
    key = _scores_key(session_id, tag)
    found = cache.get(key)
    if found is None:
        found = _read_scores(session_id)
        settled = deadline is None or (now - deadline).total_seconds() >= UNSETTLED_SECONDS
        cache.add(key, found, SCORES_SECONDS if settled else UNSETTLED_SECONDS)
    return found
