"""Forms for booking a place: one question per page where it helps, plain English."""

from typing import Any

from django import forms

from fingerpost.core.errors import Invalid
from fingerpost.core.forms import EmailAddressField
from fingerpost.core.text import visible_text

from .answers import MAX_ANSWER_LENGTH, YES_NO, answer_field, clean_answer, yes_no_parts
from .models import RATINGS, Audience, Event, EventKind, QuestionKind, RegistrationQuestion


class BookingDetailsForm(forms.Form):
    name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your full name"},
    )
    email = EmailAddressField(
        label="Email address",
        help_text="We will send your booking confirmation here.",
        error_messages={"required": "Enter your email address"},
    )
    organisation_name = forms.CharField(
        label="Organisation you work for",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": "Enter the organisation you work for"},
    )
    places = forms.TypedChoiceField(label="How many places do you need?", coerce=int)
    fields: dict[str, Any]

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if event.audience != Audience.STAFF:
            self.fields["organisation_name"].required = False
            self.fields["organisation_name"].label = "Organisation or group (optional)"
        if event.max_places_per_booking > 1:
            most = event.max_places_per_booking
            self.fields["places"].choices = [(n, str(n)) for n in range(1, most + 1)]
            left = getattr(event, "places_left", None)
            if left is not None and 0 < left < most:
                # Say before they choose what a larger group means.
                self.fields["places"].help_text = (
                    f"Include everyone coming with you, up to {most}. "
                    f"There {'is' if left == 1 else 'are'} {left} place{'s' if left != 1 else ''} "
                    f"left. A group of more than {left} joins the waiting list together; "
                    f"you can choose to book the {left} left instead when you check your answers."
                )
            elif left == 0:
                self.fields["places"].help_text = (
                    f"Include everyone coming with you, up to {most}. The event is full: "
                    "your group joins the waiting list together."
                )
            else:
                self.fields["places"].help_text = (
                    f"Include everyone coming with you, up to {most}. "
                    "Your group gets places together or waits together."
                )
            self.fields["places"].error_messages["invalid_choice"] = (
                f"Choose a number from 1 to {most}"
            )
        else:
            del self.fields["places"]

    def clean_name(self) -> str:
        name = visible_text(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Enter your full name")
        return name

    def clean_organisation_name(self) -> str:
        name = visible_text(self.cleaned_data.get("organisation_name", ""))
        if self.fields["organisation_name"].required and not name:
            raise forms.ValidationError("Enter the organisation you work for")
        return name


class AnswerField(forms.CharField):
    """One of the organiser's questions. It is checked by the same rule as
    answers sent through the API (`answers.clean_answer`)."""

    def __init__(self, question: RegistrationQuestion) -> None:
        widget: forms.Widget
        if question.kind == QuestionKind.CHOICE:
            widget = forms.RadioSelect(choices=[(c, c) for c in question.choice_list])
        elif question.kind == QuestionKind.YES_NO:
            widget = forms.RadioSelect(choices=YES_NO)
        else:
            widget = forms.Textarea(attrs={"rows": 3})
        super().__init__(
            label=question.text if question.required else f"{question.text} (optional)",
            required=question.required,
            max_length=MAX_ANSWER_LENGTH if question.kind == QuestionKind.TEXT else None,
            widget=widget,
        )
        self.question = question

    def clean(self, value: Any) -> str:
        try:
            return clean_answer(self.question, value or "")
        except Invalid as error:
            raise forms.ValidationError(error.message) from None


class RegistrationAnswersForm(forms.Form):
    """The organiser's own questions for this event (dietary needs, access needs...)."""

    def __init__(self, *args: Any, questions: list[RegistrationQuestion], **kwargs: Any) -> None:
        initial = dict(kwargs.pop("initial", None) or {})
        self.yes_no = [q for q in questions if q.kind == QuestionKind.YES_NO]
        for question in self.yes_no:
            # A saved "yes: ..." comes back as the radio and the words.
            answer, more = yes_no_parts(str(initial.get(answer_field(question), "")))
            if more:
                initial[answer_field(question)] = answer
                initial[f"{answer_field(question)}_more"] = more
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[answer_field(question)] = AnswerField(question)
            if question.kind == QuestionKind.YES_NO:
                # A bare "Yes" tells the organiser nothing about what to arrange.
                self.fields[f"{answer_field(question)}_more"] = forms.CharField(
                    label="If yes, tell us what is needed (optional)",
                    required=False,
                    max_length=MAX_ANSWER_LENGTH - 10,
                    error_messages={
                        "max_length": f"Keep it under {MAX_ANSWER_LENGTH - 10} characters"
                    },
                )

    def answers(self) -> dict[str, str]:
        answers = {
            name[1:]: value
            for name, value in self.cleaned_data.items()
            if value and not name.endswith("_more")
        }
        for question in self.yes_no:
            key = str(question.pk)
            more = visible_text(self.cleaned_data.get(f"{answer_field(question)}_more", ""))
            if answers.get(key) == "yes" and more:
                answers[key] = f"yes: {more}"
        return answers


class FeedbackForm(forms.Form):
    def __init__(self, *args: Any, questions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            field: forms.Field
            if question.kind == "rating":
                field = forms.TypedChoiceField(
                    choices=[(str(n), label) for n, label in RATINGS],
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": f"Choose a rating for: {question.text}"},
                )
            else:
                field = forms.CharField(
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={"max_length": "Your answer must be 2,000 characters or fewer"},
                )
            field.label = question.text
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[str, Any]:
        return {name[1:]: value for name, value in self.cleaned_data.items() if value != ""}


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        required=False, label="Type of event", choices=[("", "All types"), *EventKind.choices]
    )
    audience = forms.ChoiceField(
        required=False, label="Who it is for", choices=[("", "Everyone"), *Audience.choices]
    )
