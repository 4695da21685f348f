"""Champions' and coordinators' forms."""

from typing import Any

from django import forms
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.helpdesk.models import Outcome
from fingerpost.organisations.models import Area, Organisation
from fingerpost.organisations.queries import people_with_role

from .models import CheckKind, Confidence, Day, SessionMode, Skill, Way, availability_choices


class ProfileForm(forms.Form):
    skills = forms.MultipleChoiceField(
        label="What you can help with",
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing you can help with"},
    )
    languages = forms.CharField(
        label="Languages other than English",
        help_text="Separate them with commas, for example Polish, British Sign Language.",
        required=False,
        max_length=200,
    )
    areas = forms.ModelMultipleChoiceField(
        label="Areas you can help in",
        help_text="The same areas residents' requests are grouped by.",
        queryset=Area.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ways = forms.MultipleChoiceField(
        label="How you can help",
        choices=Way.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one way you can help"},
    )
    availability = forms.MultipleChoiceField(
        label="When you are usually free",
        choices=availability_choices(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    max_active = forms.IntegerField(
        label="How many requests you can work on at once",
        min_value=1,
        max_value=20,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter how many requests you can work on at once",
            "invalid": "Enter a whole number, like 3",
            "min_value": "Enter a number from 1 to 20",
            "max_value": "Enter a number from 1 to 20",
        },
    )


class PauseForm(forms.Form):
    paused = forms.TypedChoiceField(
        label="Are you taking a break?",
        choices=[("yes", "Yes, pause new requests"), ("no", "No, I can take requests")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )
    note = forms.CharField(
        label="Note for coordinators (optional)",
        help_text="For example, back on 4 January.",
        required=False,
        max_length=200,
    )


def _past_date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text="For example, 27 3 2025, written as 2025-03-27.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": "Enter a real date"},
    )


class TrainingForm(forms.Form):
    course = forms.CharField(
        label="Course", max_length=200, error_messages={"required": "Enter the course"}
    )
    completed_on = _past_date("Date completed")
    provider = forms.CharField(
        label="Provider", max_length=200, error_messages={"required": "Enter who provided it"}
    )


class CheckForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of check",
        choices=CheckKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of check"},
    )
    checked_on = _past_date("Date of the check")
    expires_on = _past_date("Expiry date")


class SetUpProfileForm(forms.Form):
    champion = forms.ModelChoiceField(
        label="Champion",
        queryset=User.objects.none(),
        empty_label="Choose a champion",
        error_messages={"required": "Choose a champion", "invalid_choice": "Choose a champion"},
    )
    organisation = forms.ModelChoiceField(
        label="Host organisation",
        queryset=Organisation.objects.order_by("name"),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose an organisation",
            "invalid_choice": "Choose an organisation",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["champion"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            people_with_role(Role.CHAMPION)
            .filter(champion_profile__isnull=True)
            .order_by("full_name")
        )


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Host organisation",
        queryset=Organisation.objects.order_by("name"),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose an organisation",
            "invalid_choice": "Choose an organisation",
        },
    )


class DaysForm(forms.Form):
    """Days to rank champions by as well, such as ones the resident has
    mentioned since (the times they gave on the request always count)."""

    days = forms.MultipleChoiceField(
        label="Other days the resident could be free (optional)",
        choices=Day.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    champion = forms.IntegerField(widget=forms.HiddenInput)


class ProposalForm(forms.Form):
    """Which proposed pairs to confirm: each value is "reference:champion:version"."""

    chosen = forms.MultipleChoiceField(
        label="Assignments to confirm",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one assignment to confirm"},
    )

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["chosen"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices or []

    def clean_chosen(self) -> list[tuple[str, int, int]]:
        out = []
        for value in self.cleaned_data["chosen"]:
            reference, champion, version = value.split(":")
            out.append((reference, int(champion), int(version)))
        return out


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why can you not take this request?",
        help_text="Coordinators see this on the request's timeline.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you cannot take this request"},
    )


class SessionForm(forms.Form):
    given_on = _past_date("Date of the session")
    minutes = forms.IntegerField(
        label="How long was it, in minutes?",
        min_value=5,
        max_value=600,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter how long the session was, in minutes",
            "invalid": "Enter a whole number of minutes, like 45",
            "min_value": "Enter a length from 5 to 600 minutes",
            "max_value": "Enter a length from 5 to 600 minutes",
        },
    )
    mode = forms.ChoiceField(
        label="How was it given?",
        choices=SessionMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the session was given"},
    )
    skills = forms.MultipleChoiceField(
        label="Skills worked on",
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    confidence_before = forms.TypedChoiceField(
        label="How confident was the resident before?",
        choices=Confidence.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how confident the resident was before"},
    )
    confidence_after = forms.TypedChoiceField(
        label="How confident were they after?",
        choices=Confidence.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how confident the resident was after"},
    )
    note = forms.CharField(
        label="A short note (optional)",
        help_text="It goes on the request's timeline. Do not write anything sensitive.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    another_wanted = forms.TypedChoiceField(
        label="Would they like another session?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )
    next_session_on = forms.DateField(
        label="Date of the next session, if arranged (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in Outcome.choices if c[0] != Outcome.WITHDRAWN],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an outcome"},
    )
    detail = forms.CharField(
        label="What can the resident now do, or where were they referred?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == Outcome.HELPED and not cleaned.get("detail", "").strip():
            self.add_error("detail", "Say what the resident can now do")
        return cleaned


class PeriodForm(forms.Form):
    since = forms.DateField(
        label="From (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date"},
    )
