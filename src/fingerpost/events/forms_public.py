"""Forms for booking a place: one question per page where it helps, plain English."""

from typing import Any

from django import forms
from django.core.validators import validate_email

from fingerpost.core.text import visible_text

from .models import Audience, Event, EventKind, QuestionKind, RegistrationQuestion

YES_NO = [("yes", "Yes"), ("no", "No")]


class BookingDetailsForm(forms.Form):
    name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your full name"},
    )
    email = forms.CharField(
        label="Email address",
        max_length=254,
        help_text="We will send your booking confirmation here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
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

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        try:
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError(
                "Enter an email address in the correct format, like name@example.org"
            ) from None
        return email


class RegistrationAnswersForm(forms.Form):
    """The organiser's own questions for this event (dietary needs, access needs...)."""

    def __init__(self, *args: Any, questions: list[RegistrationQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            name = f"q{question.pk}"
            required_message = f"Answer the question: {question.text}"
            field: forms.Field
            if question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in question.choice_list], widget=forms.RadioSelect
                )
                field.error_messages["invalid_choice"] = "Choose one of the options"
            elif question.kind == QuestionKind.YES_NO:
                field = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect)
            else:
                field = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
                field.error_messages["max_length"] = "Your answer must be 500 characters or fewer"
            field.label = question.text if question.required else f"{question.text} (optional)"
            field.required = question.required
            field.error_messages["required"] = required_message
            self.fields[name] = field

    def answers(self) -> dict[str, str]:
        return {name[1:]: value for name, value in self.cleaned_data.items() if value}


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


RATINGS = [
    (5, "5 - Very good"),
    (4, "4 - Good"),
    (3, "3 - Neither good nor poor"),
    (2, "2 - Poor"),
    (1, "1 - Very poor"),
]


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        required=False, label="Type of event", choices=[("", "All types"), *EventKind.choices]
    )
    audience = forms.ChoiceField(
        required=False, label="Who it is for", choices=[("", "Everyone"), *Audience.choices]
    )
