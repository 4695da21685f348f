"""The organisers' forms: questions for the bank and quizzes."""

from __future__ import annotations

from typing import Any

from django import forms

from . import queries, standard
from .services.bank import MAX_CHOICES

ANSWER_NUMBERS = range(1, MAX_CHOICES + 1)


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the question"},
    )
    point = forms.TypedChoiceField(
        label="Service Standard point",
        coerce=int,
        choices=[("", "Choose a point"), *standard.point_choices()],
        error_messages={"required": "Choose the point of the Service Standard it is about"},
    )
    explanation = forms.CharField(
        label="Explanation",
        help_text="Shown with the right answer once time is up",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the explanation shown after answering"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in ANSWER_NUMBERS:
            self.fields[f"answer_{n}"] = forms.CharField(
                label=f"Answer {n}",
                required=n <= 2,
                max_length=150,
                help_text="Leave empty if the question has fewer answers" if n > 2 else "",
                error_messages={"required": f"Enter answer {n}: a question needs 2 to 4 answers"},
            )
            self.fields[f"correct_{n}"] = forms.BooleanField(
                label=f"Answer {n} is correct", required=False
            )

    @property
    def answer_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"answer_{n}"], self[f"correct_{n}"]) for n in ANSWER_NUMBERS]

    @property
    def choices(self) -> list[tuple[str, bool]]:
        data = self.cleaned_data
        return [
            (data.get(f"answer_{n}", ""), bool(data.get(f"correct_{n}"))) for n in ANSWER_NUMBERS
        ]

    @classmethod
    def initial_for(cls, question: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "text": question.text,
            "point": question.point,
            "explanation": question.explanation,
        }
        for n, choice in enumerate(question.choices.all(), start=1):
            initial[f"answer_{n}"] = choice.text
            initial[f"correct_{n}"] = choice.is_correct
        return initial


class QuizForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=120, error_messages={"required": "Enter a title for the quiz"}
    )
    seconds_per_question = forms.IntegerField(
        label="Seconds to answer each question",
        min_value=5,
        max_value=120,
        initial=20,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the seconds to answer each question",
            "invalid": "Enter a whole number of seconds, like 20",
            "min_value": "The time for each question must be between 5 and 120 seconds",
            "max_value": "The time for each question must be between 5 and 120 seconds",
        },
    )
    questions = forms.TypedMultipleChoiceField(
        label="Questions",
        help_text="They are asked in the order of the bank, by Service Standard point",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one question"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = [  # type: ignore[attr-defined]
            (q.pk, f"{q.point}. {q.text}") for q in queries.question_bank()
        ]
