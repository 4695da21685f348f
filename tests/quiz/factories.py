"""Quiz test data: questions with answers, quizzes, live sessions and players."""

from __future__ import annotations

from typing import Any

from fingerpost.accounts.roles import Role
from fingerpost.quiz import services
from fingerpost.quiz.models import Choice, LiveSession, Player, Question, Quiz

from ..factories import UserFactory


def make_question(
    *, point: int = 1, text: str = "", right: str = "Right", wrong: tuple[str, ...] = ("Wrong",)
) -> Question:
    question = Question.objects.create(
        text=text or f"A question on point {point}?", point=point, explanation="Because."
    )
    Choice.objects.create(question=question, position=1, text=right, is_correct=True)
    for n, choice in enumerate(wrong, start=2):
        Choice.objects.create(question=question, position=n, text=choice, is_correct=False)
    return question


def make_quiz(*, questions: int = 3, seconds: int = 20, by: Any = None) -> Quiz:
    by = by or UserFactory(role=Role.ORGANISER)
    ids = [make_question(point=1 + n % 14).pk for n in range(questions)]
    return services.create_quiz(
        by=by, title="Test quiz", seconds_per_question=seconds, question_ids=ids
    )


def make_session(*, questions: int = 3, seconds: int = 20, host: Any = None) -> LiveSession:
    host = host or UserFactory(role=Role.ORGANISER)
    quiz = make_quiz(questions=questions, seconds=seconds, by=host)
    return services.start_session(by=host, quiz_id=quiz.pk)


def right_choice(session: LiveSession, position: int | None = None) -> Choice:
    position = session.position if position is None else position
    return Choice.objects.get(question_id=session.question_ids[position], is_correct=True)


def wrong_choice(session: LiveSession, position: int | None = None) -> Choice:
    position = session.position if position is None else position
    return Choice.objects.filter(
        question_id=session.question_ids[position], is_correct=False
    ).first()  # type: ignore[return-value]


def join(session: LiveSession, nickname: str) -> Player:
    return services.join_session(code=session.code, nickname=nickname)
