"""The question bank and quizzes: organisers write, edit, archive and copy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from fingerpost.core.errors import Invalid, NotFound
from fingerpost.core.text import visible_lines, visible_text

from .. import records, room, standard
from ..models import Choice, Question, Quiz, QuizQuestion

MIN_CHOICES = 2
MAX_CHOICES = 4
MAX_QUIZ_QUESTIONS = 50


def _clean_question(
    *, text: str, point: int, explanation: str, choices: Sequence[tuple[str, bool]]
) -> tuple[str, str, list[tuple[str, bool]]]:
    text = visible_text(text)
    if not text:
        raise Invalid("Enter the question", field="text")
    if len(text) > 300:
        raise Invalid("The question must be 300 characters or fewer", field="text")
    if point not in standard.points():
        raise Invalid("Choose the point of the Service Standard it is about", field="point")
    explanation = visible_lines(explanation)
    if not explanation:
        raise Invalid("Enter the explanation shown after answering", field="explanation")
    if len(explanation) > 1000:
        raise Invalid("The explanation must be 1000 characters or fewer", field="explanation")
    cleaned = [(visible_text(t), bool(c)) for t, c in choices]
    cleaned = [(t, c) for t, c in cleaned if t]
    if not MIN_CHOICES <= len(cleaned) <= MAX_CHOICES:
        raise Invalid("Give 2, 3 or 4 answers", field="choices")
    if any(len(t) > 150 for t, _ in cleaned):
        raise Invalid("Each answer must be 150 characters or fewer", field="choices")
    if len({t.casefold() for t, _ in cleaned}) != len(cleaned):
        raise Invalid("Each answer must be different", field="choices")
    if not any(c for _, c in cleaned):
        raise Invalid("Mark at least one answer as correct", field="choices")
    return text, explanation, cleaned


def _write_choices(question: Question, choices: list[tuple[str, bool]]) -> None:
    question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(question=question, position=n, text=t, is_correct=c)
        for n, (t, c) in enumerate(choices, start=1)
    )


def create_question(
    *, by: Any, text: str, point: int, explanation: str, choices: Sequence[tuple[str, bool]]
) -> Question:
    text, explanation, cleaned = _clean_question(
        text=text, point=point, explanation=explanation, choices=choices
    )
    with transaction.atomic():
        question = Question.objects.create(
            text=text, point=point, explanation=explanation, created_by=by
        )
        _write_choices(question, cleaned)
        records.record(
            actor=by,
            action="quiz.question_created",
            subject_type="quiz_question",
            reference=str(question.pk),
        )
    return question


def update_question(
    *,
    by: Any,
    question_id: int,
    text: str,
    point: int,
    explanation: str,
    choices: Sequence[tuple[str, bool]],
) -> Question:
    """Answers already given keep the choice they picked: a question that has
    been played gets new choices only when their wording is unchanged."""
    text, explanation, cleaned = _clean_question(
        text=text, point=point, explanation=explanation, choices=choices
    )
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(pk=question_id).first()
        if question is None:
            raise NotFound("There is no such question")
        question.text, question.point, question.explanation = text, point, explanation
        question.save()
        existing = list(question.choices.all())
        if [c.text for c in existing] == [t for t, _ in cleaned]:
            for choice, (_, correct) in zip(existing, cleaned, strict=True):
                if choice.is_correct != correct:
                    choice.is_correct = correct
                    choice.save(update_fields=["is_correct"])
        else:
            from ..models import Answer

            if Answer.objects.filter(question=question).exists():
                raise Invalid(
                    "This question has been played, so its answers cannot be reworded. "
                    "Copy it into a new question instead",
                    field="choices",
                )
            _write_choices(question, cleaned)
        room.forget_question(question.pk)
        records.record(
            actor=by,
            action="quiz.question_saved",
            subject_type="quiz_question",
            reference=str(question.pk),
        )
    return question


def set_question_archived(*, by: Any, question_id: int, archived: bool) -> Question:
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(pk=question_id).first()
        if question is None:
            raise NotFound("There is no such question")
        question.archived = archived
        question.save(update_fields=["archived", "updated_at"])
        room.forget_question(question.pk)
        records.record(
            actor=by,
            action="quiz.question_archived" if archived else "quiz.question_restored",
            subject_type="quiz_question",
            reference=str(question.pk),
        )
    return question


def _clean_quiz(*, title: str, seconds: int, question_ids: Sequence[int]) -> tuple[str, list[int]]:
    title = visible_text(title)
    if not title:
        raise Invalid("Enter a title for the quiz", field="title")
    if len(title) > 120:
        raise Invalid("The title must be 120 characters or fewer", field="title")
    if not 5 <= seconds <= 120:
        raise Invalid(
            "The time for each question must be between 5 and 120 seconds",
            field="seconds_per_question",
        )
    ids = list(dict.fromkeys(question_ids))  # in order, once each
    if not ids:
        raise Invalid("Choose at least one question", field="questions")
    if len(ids) > MAX_QUIZ_QUESTIONS:
        raise Invalid(f"A quiz can have up to {MAX_QUIZ_QUESTIONS} questions", field="questions")
    found = set(Question.objects.filter(pk__in=ids, archived=False).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise Invalid("Choose questions from the bank", field="questions")
    return title, ids


def _write_items(quiz: Quiz, ids: list[int]) -> None:
    quiz.items.all().delete()
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question_id=qid, position=n) for n, qid in enumerate(ids, start=1)
    )


def create_quiz(
    *, by: Any, title: str, seconds_per_question: int, question_ids: Sequence[int]
) -> Quiz:
    title, ids = _clean_quiz(title=title, seconds=seconds_per_question, question_ids=question_ids)
    with transaction.atomic():
        quiz = Quiz.objects.create(
            title=title, seconds_per_question=seconds_per_question, created_by=by
        )
        _write_items(quiz, ids)
        records.record(actor=by, action="quiz.created", subject_type="quiz", reference=str(quiz.pk))
    return quiz


def update_quiz(
    *, by: Any, quiz_id: int, title: str, seconds_per_question: int, question_ids: Sequence[int]
) -> Quiz:
    """Sessions already started keep the questions they started with."""
    title, ids = _clean_quiz(title=title, seconds=seconds_per_question, question_ids=question_ids)
    with transaction.atomic():
        quiz = Quiz.objects.select_for_update().filter(pk=quiz_id).first()
        if quiz is None:
            raise NotFound("There is no such quiz")
        quiz.title, quiz.seconds_per_question = title, seconds_per_question
        quiz.save()
        _write_items(quiz, ids)
        records.record(actor=by, action="quiz.saved", subject_type="quiz", reference=str(quiz.pk))
    return quiz


def copy_quiz(*, by: Any, quiz_id: int) -> Quiz:
    with transaction.atomic():
        original = Quiz.objects.filter(pk=quiz_id).first()
        if original is None:
            raise NotFound("There is no such quiz")
        ids = list(original.items.values_list("question_id", flat=True))
        title = f"Copy of {original.title}"[:120]
        quiz = Quiz.objects.create(
            title=title, seconds_per_question=original.seconds_per_question, created_by=by
        )
        _write_items(quiz, ids)
        records.record(
            actor=by,
            action="quiz.copied",
            subject_type="quiz",
            reference=str(quiz.pk),
            detail=f"from quiz {original.pk}",
        )
    return quiz


def load_starter_bank() -> int:
    """Create or refresh the starter questions (and a quiz of all of them);
    returns how many questions were created. Safe to run again."""
    created = 0
    with transaction.atomic():
        for item in standard.starter_questions():
            question, was_created = Question.objects.update_or_create(
                starter_key=item["key"],
                defaults={
                    "text": item["text"],
                    "point": item["point"],
                    "explanation": item["explanation"],
                },
            )
            if was_created:
                _write_choices(question, [(t, bool(c)) for t, c in item["answers"]])
                created += 1
    return created


QUIZ_ORDER_ACTIONS = ("up", "down", "remove")


def change_quiz_order(*, by: Any, quiz_id: int, question_id: int, action: str) -> Quiz:
    """Move one question of a quiz up or down its order, or take it out.
    Sessions already started keep the order they started with."""
    if action not in QUIZ_ORDER_ACTIONS:
        raise NotFound("There is no such change")
    with transaction.atomic():
        quiz = Quiz.objects.select_for_update().filter(pk=quiz_id).first()
        if quiz is None:
            raise NotFound("There is no such quiz")
        ids = list(quiz.items.order_by("position").values_list("question_id", flat=True))
        if question_id not in ids:
            raise NotFound("That question is not in this quiz")
        at = ids.index(question_id)
        if action == "remove":
            if len(ids) == 1:
                raise Invalid("A quiz needs at least one question", field="questions")
            ids.pop(at)
        elif action == "up" and at > 0:
            ids[at - 1], ids[at] = ids[at], ids[at - 1]
        elif action == "down" and at < len(ids) - 1:
            ids[at + 1], ids[at] = ids[at], ids[at + 1]
        _write_items(quiz, ids)
        quiz.save(update_fields=["updated_at"])
        records.record(
            actor=by,
            action="quiz.saved",
            subject_type="quiz",
            reference=str(quiz.pk),
            detail=f"question {question_id} {action}",
        )
    return quiz
