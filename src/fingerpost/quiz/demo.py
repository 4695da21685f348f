from __future__ import annotations

from .models import Question, Quiz, QuizQuestion
from .services.bank import load_starter_bank

DEMO_QUIZ = "Service Standard: the 14 points"


def create_demo_data(*, scale: int = 1) -> dict[str, int]:
    """The starter bank and one quiz of a question on each point."""
    created = load_starter_bank()
    quiz, _ = Quiz.objects.get_or_create(title=DEMO_QUIZ, defaults={"seconds_per_question": 20})
    if not quiz.items.exists():
        first_per_point: dict[int, int] = {}
        for q in Question.objects.exclude(starter_key="").order_by("id"):
            first_per_point.setdefault(q.point, q.pk)
        QuizQuestion.objects.bulk_create(
            QuizQuestion(quiz=quiz, question_id=qid, position=n)
            for n, qid in enumerate(sorted(first_per_point.values()), start=1)
        )
    return {"questions": created, "quizzes": 1}
