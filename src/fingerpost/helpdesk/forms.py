"""Staff's forms: a request taken by phone, at the counter or as a referral
(the resident's questions from public_forms.py on one page), and the
coordinators' and champions' work on a request."""

from datetime import timedelta
from typing import Any

from django import forms
from django.template.defaultfilters import pluralize
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.core.text import phone_number
from fingerpost.core.timeformat import govuk_date_time
from fingerpost.events.models import Event
from fingerpost.events.queries import sessions_bookable_for_residents
from fingerpost.organisations.queries import people_with_role

from .models import Channel, HelpMode, Need, Outcome, Priority, ReferralSource, Status
from .public_forms import (
    ConsentForm,
    ContactForm,
    DeviceForm,
    FreeTimesForm,
    HowForm,
    MoreForm,
    NeedsForm,
    WhereForm,
)

SESSION_HORIZON = timedelta(weeks=8)


class AssistedIntakeForm(
    NeedsForm,
    DeviceForm,
    HowForm,
    FreeTimesForm,
    ContactForm,
    WhereForm,
    MoreForm,
    ConsentForm,
):
    """Every question on one page, for staff taking a request by phone or at a counter."""

    channel = forms.ChoiceField(
        label="How did the resident contact you?",
        choices=[(Channel.PHONE, "By phone"), (Channel.COUNTER, "In person")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the resident contacted you"},
    )
    # Nothing chosen for them: a guess left in place would skew the reports.
    referral_source = forms.ChoiceField(
        label="Who suggested they ask for help?",
        choices=[("", "Choose who suggested it"), *ReferralSource.choices],
        error_messages={"required": "Select who suggested they ask"},
    )
    field_order = [
        "channel",
        "referral_source",
        "name",
        "phone",
        "email",
        "postcode_or_town",
        "needs",
        "what_they_want",
        "has_device",
        "has_internet",
        "help_modes",
        "free_days",
        "free_parts",
        "languages",
        "access_needs",
        "consent_to_share",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The resident's questions, worded for the member of staff asking them.
        for name, (label, hint) in STAFF_WORDING.items():
            if name in self.fields:
                self.fields[name].label = label
                if hint is not None:
                    self.fields[name].help_text = hint
        consent = self.fields["consent_to_share"]
        consent.label = (
            "Has the resident agreed to us sharing their name, contact details "
            "and what they need with a volunteer who will help them?"
        )
        consent.help_text = "Volunteers are trained digital champions who see only what they need."
        consent.choices = [("yes", "Yes"), ("no", "No, only library staff can contact them")]  # type: ignore[attr-defined]

    def answer_rows(self) -> list[tuple[str, str]]:
        """(question, answer) in the form's order, for the check-answers page."""
        rows = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            choices = dict(getattr(field, "choices", []) or [])
            if isinstance(value, list):
                shown = "; ".join(str(choices.get(v, v)) for v in value)
            elif isinstance(value, bool):
                shown = "Yes" if value else "No"
            else:
                shown = str(choices.get(value, value)) if value not in (None, "") else ""
            rows.append((str(field.label).removesuffix(" (optional)"), shown or "Not given"))
        return rows


# (label, hint); a hint of None keeps the resident's.
STAFF_WORDING: dict[str, tuple[str, str | None]] = {
    "name": ("The resident's name", None),
    "phone": (
        "The resident's phone number",
        "Give a phone number, an email address or both, so we can contact them.",
    ),
    "email": ("The resident's email address (optional)", None),
    "postcode_or_town": (
        "The resident's postcode or town",
        "So we can find help near them. For example, DT1 1XJ or Weymouth.",
    ),
    "needs": ("What do they need help with?", "Select all that apply."),
    "what_they_want": (
        "What would they like to be able to do? (optional)",
        "In their words, for example 'video call my grandchildren' or 'book a GP appointment'.",
    ),
    "has_device": ("Do they have a phone, tablet or computer they can use?", None),
    "has_internet": ("Can they get on the internet at home?", None),
    "help_modes": ("How would they like help?", "Select all that suit them."),
    "free_days": (
        "Which days are they usually free? (optional)",
        "So a volunteer free at the same times can be found. Select all that apply.",
    ),
    "free_parts": ("What times of day are they usually free? (optional)", "Select all that apply."),
    "languages": (
        "Which languages do they speak? (optional)",
        "We will try to find someone who speaks their language.",
    ),
    "access_needs": (
        "Do they have any access needs? (optional)",
        "For example, they use a wheelchair, or need large print.",
    ),
}


class ReferralForm(AssistedIntakeForm):
    """Partner staff refer a resident; the resident's consent is required."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["channel"]
        # The source is the referrer's organisation (services.intake.referral_source_of).
        del self.fields["referral_source"]
        self.fields["consent_to_share"].label = (
            "Has the resident agreed to you passing on their details, "
            "and to sharing them with a volunteer?"
        )

    def clean_consent_to_share(self) -> bool:
        if not self.cleaned_data["consent_to_share"]:
            raise forms.ValidationError("You can only refer a resident who has agreed")
        return True


# ---------------------------------------------------------------- coordinators


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TriageForm(VersionedForm):
    priority = forms.TypedChoiceField(
        label="Priority", choices=Priority.choices, coerce=int, widget=forms.RadioSelect
    )
    needs = forms.MultipleChoiceField(
        label="Confirmed needs",
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one need"},
    )


class AssignForm(VersionedForm):
    champion = forms.ModelChoiceField(
        label="Digital champion",
        queryset=User.objects.none(),
        empty_label="Choose a champion",
        error_messages={"required": "Choose a champion", "invalid_choice": "Choose a champion"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        champion = self.fields["champion"]
        assert isinstance(champion, forms.ModelChoiceField)
        champion.queryset = people_with_role(Role.CHAMPION).order_by("full_name")


class RouteForm(VersionedForm):
    kind = forms.ChoiceField(
        label="Route to",
        choices=[
            ("device_loan", "A device loan"),
            ("signpost", "Another service (signpost)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where to route the request"},
    )
    detail = forms.CharField(
        label="Which one?",
        help_text="The session, the device, or the service and how the resident was told.",
        max_length=500,
        error_messages={"required": "Say where the request was routed"},
    )


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = govuk_date_time(obj.starts_at, "D j M")
        left = getattr(obj, "places_left", None)
        room = "full, waiting list" if left == 0 else f"{left} place{pluralize(left)} left"
        venue = f", {obj.venue_name}" if obj.venue_name else ""
        return f"{obj.title}{venue}, {when} ({room})"


class BookSessionForm(VersionedForm):
    """Book the resident onto a code club or drop-in open to residents."""

    event = SessionChoiceField(
        label="Session",
        help_text="Sessions open for booking in the next 8 weeks. If it is full, "
        "the resident joins the waiting list.",
        queryset=Event.objects.none(),
        empty_label="Choose a session",
        error_messages={"required": "Choose a session", "invalid_choice": "Choose a session"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        now = timezone.now()
        event = self.fields["event"]
        assert isinstance(event, forms.ModelChoiceField)
        event.queryset = sessions_bookable_for_residents(now=now).filter(
            starts_at__lt=now + SESSION_HORIZON
        )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a note"},
    )


class ContactAttemptForm(VersionedForm):
    reached = forms.TypedChoiceField(
        label="Did you reach the resident?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=1000)


class SafeguardingForm(VersionedForm):
    detail = forms.CharField(
        label="Describe the concern",
        help_text="Only coordinators and the safeguarding lead will see this.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the concern"},
    )


class CloseForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in Outcome.choices if c[0] != Outcome.WITHDRAWN],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an outcome"},
    )
    detail = forms.CharField(
        label="What was achieved, or where they were referred",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Said here too (the service checks it), so the error sits on the box to fill in.
        if cleaned.get("outcome") == Outcome.HELPED and not cleaned.get("detail", "").strip():
            self.add_error("detail", "Say what the resident can now do")
        return cleaned


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Open requests"), *Status.choices])
    need = forms.ChoiceField(required=False, choices=[("", "Any need"), *Need.choices])
    priority = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any priority"), *Priority.choices],
    )
    help_mode = forms.ChoiceField(
        required=False, label="Help wanted", choices=[("", "Any way"), *HelpMode.choices]
    )
    area = forms.CharField(required=False, max_length=100, label="Area")
    older_than_days = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Waiting",
        choices=[("", "Any time"), (2, "More than 2 days"), (7, "More than a week")],
    )
    contact = forms.ChoiceField(
        required=False,
        label="First contact",
        choices=[
            ("", "Any"),
            ("none", "Not contacted yet"),
            ("overdue", "Overdue for first contact"),
        ],
    )


class ResidentLookupForm(forms.Form):
    email = forms.CharField(label="Resident's email address", required=False, max_length=254)
    phone = forms.CharField(label="Resident's phone number", required=False, max_length=30)

    def clean_phone(self) -> str:
        typed = self.cleaned_data.get("phone", "")
        phone = phone_number(typed)
        if typed.strip() and len(phone.lstrip("+")) < 10:
            raise forms.ValidationError("Enter a phone number, like 01305 123456 or 07700 900982")
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "phone" in self.errors:
            return cleaned
        if not cleaned.get("email", "").strip() and not cleaned.get("phone", ""):
            raise forms.ValidationError("Enter the resident's email address or phone number")
        return cleaned
