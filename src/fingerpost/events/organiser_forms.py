"""Forms for the organisers' back office: plain English, one clear message per mistake."""

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from fingerpost.core.forms import EmailAddressField
from fingerpost.core.text import visible_lines, visible_text
from fingerpost.organisations.models import Organisation

from .models import Audience, Event, EventKind, FeedbackQuestionKind, QuestionKind

DATE_TIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
DATE_TIME_HINT = "For example, 27/3/2027 18:30"
EARLIEST_YEAR = 2000
LATEST_YEAR = 2099
MAX_CAPACITY = 10_000
MAX_PLACES_PER_BOOKING = 10
MAX_OFFER_HOURS = 168
MAX_LONG_TEXT = 5000
MAX_REGISTRATION_QUESTIONS = 5
MAX_FEEDBACK_QUESTIONS = 10
YES_NO = [("yes", "Yes"), ("no", "No")]


class GovukDateTimeField(forms.DateTimeField):
    """Day/month/year and time in one text box, with a message that shows the format."""

    widget = forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"spellcheck": "false"})

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        message = f"Enter the date {what}, like 27/3/2027 18:30"
        kwargs.setdefault("help_text", DATE_TIME_HINT)
        super().__init__(
            input_formats=DATE_TIME_FORMATS,
            error_messages={"required": message, "invalid": message},
            **kwargs,
        )
        self.what = what

    def to_python(self, value: Any) -> datetime | None:
        try:
            result = super().to_python(value)
        except ValidationError as error:
            if error.code == "ambiguous_timezone":
                raise ValidationError(
                    "That time does not exist or happens twice when the clocks change. "
                    "Choose a time an hour earlier or later",
                    code="ambiguous_timezone",
                ) from None
            raise
        if result is not None and not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
            raise ValidationError(
                f"Enter the date {self.what} between the years {EARLIEST_YEAR} "
                f"and {LATEST_YEAR}, like 27/3/2027 18:30",
                code="out_of_range",
            )
        return result


class EventForm(forms.ModelForm):
    starts_at = GovukDateTimeField(label="Starts", what="the event starts")
    ends_at = GovukDateTimeField(label="Ends", what="the event ends")
    booking_opens_at = GovukDateTimeField(
        label="Booking opens (optional)",
        what="booking opens",
        required=False,
        help_text=f"Leave empty to open booking as soon as you publish. {DATE_TIME_HINT}",
    )
    booking_closes_at = GovukDateTimeField(
        label="Booking closes (optional)",
        what="booking closes",
        required=False,
        help_text=f"Leave empty to take bookings until the event starts. {DATE_TIME_HINT}",
    )
    capacity = forms.IntegerField(
        label="Number of places",
        min_value=1,
        max_value=MAX_CAPACITY,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Enter the number of places as a number, like 30",
            "min_value": "Enter a number of places from 1 to 10,000",
            "max_value": "Enter a number of places from 1 to 10,000",
        },
    )
    max_places_per_booking = forms.IntegerField(
        label="Most places one person can book",
        help_text="1 for most events. More lets people book for a group, up to 10.",
        initial=1,
        min_value=1,
        max_value=MAX_PLACES_PER_BOOKING,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the most places one person can book",
            "invalid": "Enter the most places one person can book as a number, like 1",
            "min_value": "Enter a number from 1 to 10 for the most places one person can book",
            "max_value": "Enter a number from 1 to 10 for the most places one person can book",
        },
    )
    offer_hours = forms.IntegerField(
        label="Hours someone has to claim a freed place",
        help_text="When someone cancels, the next person waiting has this long to say yes. "
        "It is shorter close to the event.",
        initial=48,
        min_value=1,
        max_value=MAX_OFFER_HOURS,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the hours someone has to claim a freed place",
            "invalid": "Enter the hours as a number, like 48",
            "min_value": "Enter a number of hours from 1 to 168",
            "max_value": "Enter a number of hours from 1 to 168",
        },
    )
    online_link = forms.URLField(
        label="Online joining link (optional)",
        help_text="Only people with a place see this link.",
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the joining link in the correct format, "
            "like https://meet.example.org/abc",
            "max_length": "The joining link must be 200 characters or fewer",
        },
    )
    organisation = forms.ModelChoiceField(
        label="Organisation running the event (optional)",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="Not linked to an organisation",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )

    contact_email = EmailAddressField(
        label="Contact email address",
        help_text="People can ask questions about the event here.",
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={
            "required": "Enter a contact email address",
            "max_length": "The email address must be 254 characters or fewer",
        },
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "summary",
            "description",
            "kind",
            "audience",
            "venue_name",
            "venue_address",
            "venue_accessibility",
            "online_link",
            "starts_at",
            "ends_at",
            "capacity",
            "max_places_per_booking",
            "booking_opens_at",
            "booking_closes_at",
            "offer_hours",
            "organisation",
            "contact_email",
        ]
        labels = {
            "title": "Event name",
            "summary": "Summary",
            "description": "Description (optional)",
            "kind": "Type of event",
            "audience": "Who can book",
            "venue_name": "Venue (optional for online events)",
            "venue_address": "Venue address (optional)",
            "venue_accessibility": "Accessibility information (optional)",
        }
        help_texts = {
            "summary": "One or two sentences shown in the list of events.",
            "venue_accessibility": "For example, step-free access, a hearing loop, "
            "accessible toilets, parking.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "venue_address": forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
            "venue_accessibility": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.Select,
            "audience": forms.RadioSelect,
        }
        error_messages = {
            "title": {
                "required": "Enter the event name",
                "max_length": "The event name must be 200 characters or fewer",
            },
            "summary": {
                "required": "Enter a summary",
                "max_length": "The summary must be 300 characters or fewer",
            },
            "kind": {
                "required": "Choose the type of event",
                "invalid_choice": "Choose the type of event from the list",
            },
            "audience": {
                "required": "Choose who can book",
                "invalid_choice": "Choose who can book",
            },
            "venue_name": {"max_length": "The venue must be 200 characters or fewer"},
        }

    fields: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose the type"), *EventKind.choices]
        self.fields["audience"].choices = Audience.choices
        for name in ("description", "venue_address", "venue_accessibility"):
            field = self.fields[name]
            field.validators.append(MaxLengthValidator(MAX_LONG_TEXT))
            field.error_messages["max_length"] = (
                f"{str(field.label).removesuffix(' (optional)')} must be 5,000 characters or fewer"
            )

    def _clean_line(self, name: str, required_message: str | None = None) -> str:
        value = visible_text(self.cleaned_data.get(name) or "")
        if required_message and not value:
            raise ValidationError(required_message)
        return value

    def clean_title(self) -> str:
        return self._clean_line("title", "Enter the event name")

    def clean_summary(self) -> str:
        return self._clean_line("summary", "Enter a summary")

    def clean_venue_name(self) -> str:
        return self._clean_line("venue_name")

    def clean_description(self) -> str:
        return visible_lines(self.cleaned_data.get("description") or "")

    def clean_venue_address(self) -> str:
        return visible_lines(self.cleaned_data.get("venue_address") or "")

    def clean_venue_accessibility(self) -> str:
        return visible_lines(self.cleaned_data.get("venue_accessibility") or "")

    def clean_online_link(self) -> str:
        link = (self.cleaned_data.get("online_link") or "").strip()
        if link and not link.lower().startswith(("https://", "http://")):
            raise ValidationError(
                "Enter the joining link in the correct format, like https://meet.example.org/abc"
            )
        return link

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts = cleaned.get("starts_at")
        ends = cleaned.get("ends_at")
        opens = cleaned.get("booking_opens_at")
        closes = cleaned.get("booking_closes_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The event must end after it starts")
        if starts and closes and closes > starts:
            self.add_error("booking_closes_at", "Booking must close before the event starts")
        if starts and opens and opens >= starts:
            self.add_error("booking_opens_at", "Booking must open before the event starts")
        elif opens and closes and opens >= closes:
            self.add_error("booking_opens_at", "Booking must open before it closes")
        capacity = cleaned.get("capacity")
        most = cleaned.get("max_places_per_booking")
        if capacity and most and most > capacity:
            self.add_error(
                "max_places_per_booking",
                "The most places one person can book cannot be more than the number of places",
            )
        if (
            "venue_name" in cleaned
            and "online_link" in cleaned
            and not cleaned.get("venue_name")
            and not cleaned.get("online_link")
        ):
            self.add_error("venue_name", "Enter the venue, or an online joining link")
        return cleaned


class RepeatForm(forms.Form):
    weeks = forms.IntegerField(
        label="For how many more weeks?",
        help_text="We add one session a week at the same time, each with its own places. "
        "For example, 6 adds the next 6 weeks.",
        min_value=1,
        max_value=52,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of weeks",
            "invalid": "Enter the number of weeks as a number, like 6",
            "min_value": "Enter a number of weeks from 1 to 52",
            "max_value": "Enter a number of weeks from 1 to 52",
        },
    )


def _yes_no_to_bool(value: str) -> bool:
    return value == "yes"


class RegistrationQuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        help_text="For example, 'Do you have any access needs?'",
        max_length=200,
        error_messages={
            "required": "Enter the question",
            "max_length": "The question must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Type of answer",
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the type of answer",
            "invalid_choice": "Choose the type of answer",
        },
    )
    choices = forms.CharField(
        label="Choices (only for 'Choice')",
        help_text="Put each choice on its own line.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The choices must be 2,000 characters or fewer"},
    )
    required = forms.TypedChoiceField(
        label="Must people answer it?",
        choices=YES_NO,
        coerce=_yes_no_to_bool,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether people must answer",
            "invalid_choice": "Choose whether people must answer",
        },
    )

    def clean_text(self) -> str:
        text = visible_text(self.cleaned_data["text"])
        if not text:
            raise ValidationError("Enter the question")
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lines = [visible_text(line) for line in (cleaned.get("choices") or "").splitlines()]
        choices = [line for line in lines if line]
        if cleaned.get("kind") == QuestionKind.CHOICE:
            if len(choices) < 2:
                self.add_error("choices", "Enter at least 2 choices, each on its own line")
            elif any(len(choice) > 200 for choice in choices):
                self.add_error("choices", "Each choice must be 200 characters or fewer")
            elif len(set(choices)) != len(choices):
                self.add_error("choices", "Each choice must be different")
            cleaned["choices"] = "\n".join(choices)
        else:
            cleaned["choices"] = ""
        return cleaned


class FeedbackQuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        help_text="For example, 'How useful was the session?'",
        max_length=200,
        error_messages={
            "required": "Enter the question",
            "max_length": "The question must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Type of answer",
        choices=FeedbackQuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the type of answer",
            "invalid_choice": "Choose the type of answer",
        },
    )

    def clean_text(self) -> str:
        text = visible_text(self.cleaned_data["text"])
        if not text:
            raise ValidationError("Enter the question")
        return text


class RemoveQuestionForm(forms.Form):
    remove = forms.IntegerField(min_value=1)


class BookingActionForm(forms.Form):
    """A button on a row of bookings: which booking, and what to do."""

    booking = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[])
    fields: dict[str, Any]

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(action, action) for action in actions]


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, email address or booking reference",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
        error_messages={"max_length": "Search for 150 characters or fewer"},
    )

    def clean_q(self) -> str:
        return visible_text(self.cleaned_data.get("q") or "")


class WalkInForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person's name",
            "max_length": "The name must be 150 characters or fewer",
        },
    )
    email = EmailAddressField(
        label="Email address (optional)",
        help_text="So we can ask them for feedback after the event.",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": "The email address must be 254 characters or fewer"},
    )
    places = forms.IntegerField(
        label="Number of people",
        initial=1,
        min_value=1,
        max_value=10,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of people",
            "invalid": "Enter the number of people as a number, like 1",
            "min_value": "Enter a number of people from 1 to 10",
            "max_value": "Enter a number of people from 1 to 10",
        },
    )
    # One per form shown, so a double click records the person once.
    submission_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_name(self) -> str:
        name = visible_text(self.cleaned_data["name"])
        if not name:
            raise ValidationError("Enter the person's name")
        return name


def default_event_initial(*, contact_email: str) -> dict[str, Any]:
    return {
        "contact_email": contact_email,
        "max_places_per_booking": 1,
        "offer_hours": 48,
        "kind": "",
    }
