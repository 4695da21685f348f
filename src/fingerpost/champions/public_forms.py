"""The questions someone answers to offer to volunteer, one page each."""

from django import forms

from fingerpost.core.forms import EmailAddressField

from .models import Skill, Way, availability_choices


class AboutYouForm(forms.Form):
    title = "Your contact details"
    name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter your full name"}
    )
    email = EmailAddressField(
        label="Email address",
        help_text="We will only use this to talk to you about volunteering.",
        error_messages={"required": "Enter your email address"},
    )
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=30)


class WhereForm(forms.Form):
    title = "Where do you live?"
    postcode_or_town = forms.CharField(
        label="Where do you live?",
        help_text="Your postcode or town, so we can offer you requests near you.",
        max_length=100,
        error_messages={"required": "Enter your postcode or town"},
    )


class SkillsForm(forms.Form):
    title = "What could you help people with?"
    heading_field = "skills"
    skills = forms.MultipleChoiceField(
        label="What could you help people with?",
        help_text="Select all that apply. You do not need to be an expert: training is free.",
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing you could help with"},
    )
    languages = forms.CharField(
        label="Languages you speak other than English (optional)",
        required=False,
        max_length=200,
    )


class HowForm(forms.Form):
    title = "How and when could you help?"
    ways = forms.MultipleChoiceField(
        label="How could you help?",
        choices=Way.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one way you could help"},
    )
    availability = forms.MultipleChoiceField(
        label="When are you usually free?",
        choices=availability_choices(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one time you are usually free"},
    )
    why = forms.CharField(
        label="Anything else you would like to tell us (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


VOLUNTEER_STEPS: list[tuple[str, type[forms.Form]]] = [
    ("about-you", AboutYouForm),
    ("where", WhereForm),
    ("skills", SkillsForm),
    ("how", HowForm),
]
