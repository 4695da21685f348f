"""The resident's questions when asking for help: one question per page, in
plain English. Staff's intake forms (forms.py) ask the same questions."""

from typing import Any

from django import forms

from fingerpost.core.forms import EmailAddressField
from fingerpost.core.free_times import Day, DayPart
from fingerpost.core.text import visible_text

from .models import Answer, HelpMode, Need


class NeedsForm(forms.Form):
    title = "What would you like help with?"
    # The page's question, shown as its heading; the box below is an optional detail.
    heading_field = "needs"
    needs = forms.MultipleChoiceField(
        label="What would you like help with?",
        help_text="Select all that apply.",
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what you would like help with"},
    )
    what_they_want = forms.CharField(
        label="Tell us what you would like to be able to do (optional)",
        help_text="For example, 'video call my grandchildren' or 'book a GP appointment'.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Use 1,000 characters or fewer"},
    )


class HasDeviceForm(forms.Form):
    title = "Do you have a phone, tablet or computer you can use?"
    has_device = forms.ChoiceField(
        label="Do you have a phone, tablet or computer you can use?",
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes, no or not sure"},
    )


class InternetForm(forms.Form):
    title = "Can you get on the internet at home?"
    has_internet = forms.ChoiceField(
        label="Can you get on the internet at home?",
        help_text="For example, with broadband, Wi-Fi or mobile data.",
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes, no or not sure"},
    )


class DeviceForm(HasDeviceForm, InternetForm):
    """Both device questions together, for staff who ask everything on one page."""

    title = "Your phone, tablet or computer"
    field_order = ["has_device", "has_internet"]


class HowForm(forms.Form):
    title = "How would you like help?"
    help_modes = forms.MultipleChoiceField(
        label="How would you like help?",
        help_text="Select all that suit you.",
        choices=HelpMode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select how you would like help"},
    )


class FreeTimesForm(forms.Form):
    """Optional: so a volunteer who is free at the same times can be found."""

    title = "When are you usually free?"
    free_days = forms.MultipleChoiceField(
        label="Which days?",
        help_text="Optional. Select all that apply.",
        choices=Day.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select days of the week"},
    )
    free_parts = forms.MultipleChoiceField(
        label="What times of day?",
        help_text="Optional. Select all that apply. Leave both blank if your times change.",
        choices=DayPart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select morning, afternoon or evening"},
    )


class ContactForm(forms.Form):
    title = "How can we contact you?"
    name = forms.CharField(
        label="Your name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your name", "max_length": "Use 150 characters or fewer"},
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=30,
        help_text="Give a phone number, an email address or both.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        error_messages={"max_length": "Enter a phone number, like 01305 123456"},
    )
    email = EmailAddressField(label="Email address", required=False)

    def clean_name(self) -> str:
        name = visible_text(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Enter your name")
        return name

    def clean_phone(self) -> str:
        phone = visible_text(self.cleaned_data.get("phone", ""))
        digits = [ch for ch in phone if ch.isdigit()]
        if phone and (len(digits) < 10 or any(ch not in "0123456789 +()-" for ch in phone)):
            raise forms.ValidationError("Enter a phone number, like 01305 123456 or 07700 900982")
        return "".join(ch for ch in phone if ch.isdigit() or ch == "+")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            self.add_error("phone", "Enter a phone number or an email address")
        return cleaned


class WhereForm(forms.Form):
    title = "Where do you live?"
    postcode_or_town = forms.CharField(
        label="What is your postcode or town?",
        help_text="So we can find help near you. For example, DT1 1XJ or Weymouth.",
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "govuk-input--width-20"}
        ),
        error_messages={"required": "Enter your postcode or town"},
    )

    def clean_postcode_or_town(self) -> str:
        value = visible_text(self.cleaned_data["postcode_or_town"])
        if not value:
            raise forms.ValidationError("Enter your postcode or town")
        return value


class MoreForm(forms.Form):
    title = "Anything else we should know?"
    languages = forms.CharField(
        label="Which languages do you speak? (optional)",
        help_text="We will try to find someone who speaks your language.",
        required=False,
        max_length=200,
    )
    access_needs = forms.CharField(
        label="Do you have any access needs? (optional)",
        help_text="For example, you use a wheelchair, or you need large print.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsentForm(forms.Form):
    title = "Sharing your details with a volunteer"
    consent_to_share = forms.TypedChoiceField(
        label=(
            "Can we share your name, contact details and what you need "
            "with a volunteer who will help you?"
        ),
        help_text=(
            "Our volunteers are trained digital champions. "
            "They only see what they need to help you."
        ),
        choices=[("yes", "Yes"), ("no", "No, only library staff can contact me")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )


INTAKE_STEPS: list[tuple[str, type[forms.Form]]] = [
    ("needs", NeedsForm),
    ("device", HasDeviceForm),
    ("internet", InternetForm),
    ("how", HowForm),
    ("free", FreeTimesForm),
    ("contact", ContactForm),
    ("where", WhereForm),
    ("more", MoreForm),
    ("consent", ConsentForm),
]
