"""Answers to an event's own registration questions: the one set of rules the
booking pages and the API both apply, and how an answer reads on the
attendee list."""

from collections.abc import Iterable, Mapping

from fingerpost.core.errors import Invalid
from fingerpost.core.text import visible_lines, visible_text

from .models import QuestionKind, RegistrationQuestion

MAX_ANSWER_LENGTH = 500
YES_NO = [("yes", "Yes"), ("no", "No")]


def answer_field(question: RegistrationQuestion) -> str:
    """The name of the question's input on the booking page."""
    return f"q{question.pk}"


def clean_answer(question: RegistrationQuestion, raw: str) -> str:
    """The answer as it is kept ("" when not answered); raises Invalid, at the
    question's field, when it breaks a rule."""
    value = visible_lines(raw) if question.kind == QuestionKind.TEXT else visible_text(raw)
    field = answer_field(question)
    if not value:
        if question.required:
            raise Invalid(f"Answer the question: {question.text}", field=field)
        return ""
    if question.kind == QuestionKind.CHOICE and value not in question.choice_list:
        choices = ", ".join(question.choice_list)
        raise Invalid(f"Choose one of the options ({choices}) for: {question.text}", field=field)
    if question.kind == QuestionKind.YES_NO:
        # "yes: a wheelchair space": a yes can say what is needed.
        answer, _, more = value.partition(":")
        answer = answer.strip().lower()
        if answer not in dict(YES_NO):
            raise Invalid(f'Answer "yes" or "no" to: {question.text}', field=field)
        value = f"yes: {more.strip()}" if answer == "yes" and more.strip() else answer
    if len(value) > MAX_ANSWER_LENGTH:
        raise Invalid(
            f"Answers must be {MAX_ANSWER_LENGTH} characters or fewer: {question.text}",
            field=field,
        )
    return value


def clean_answers(
    questions: Iterable[RegistrationQuestion], answers: Mapping[str, str]
) -> dict[str, str]:
    """Every answer, keyed by question id, checked by `clean_answer`; answers
    to questions the event does not have are refused. Unanswered optional
    questions are left out."""
    by_id = {str(question.pk): question for question in questions}
    unknown = sorted(set(answers) - set(by_id))
    if unknown:
        raise Invalid(f"This event has no question with id {unknown[0][:20]!r}")
    cleaned = {key: clean_answer(question, answers.get(key, "")) for key, question in by_id.items()}
    return {key: value for key, value in cleaned.items() if value}


def format_answer(question: RegistrationQuestion, answer: object) -> str:
    """An answer as the attendee list and its downloads show it."""
    if answer in (None, ""):
        return ""
    if question.kind == QuestionKind.YES_NO:
        answer, _, more = str(answer).partition(":")
        label = dict(YES_NO).get(answer.strip(), answer)
        return f"{label}: {more.strip()}" if more.strip() else label
    return str(answer)


def yes_no_parts(answer: str) -> tuple[str, str]:
    """("yes", "a wheelchair space") from "yes: a wheelchair space"."""
    value, _, more = answer.partition(":")
    return value.strip(), more.strip()
