"""The skills check's pages: a few tasks a page, each answered yes, with
help, or not yet; and an optional last question about where you live."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fingerpost.core.text import visible_text
from fingerpost.directory.queries import place_for

from .framework import Answer, SkillArea


class AreaTasksForm(forms.Form):
    """One radio question per task of a part of the framework."""

    def __init__(self, *args: Any, skill_area: SkillArea, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skill_area = skill_area
        for task in skill_area.tasks:
            self.fields[task.key] = forms.ChoiceField(
                label=str(task.text),
                choices=Answer.CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Select an answer for: %(task)s") % {"task": task.text}
                },
            )


class WhereForm(forms.Form):
    place = forms.CharField(
        label=_("What is your town or postcode? (optional)"),
        help_text=_(
            "So we can show you help near you. For example, Weymouth or DT4 7AB. "
            "We do not keep your postcode."
        ),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "govuk-input--width-20"}
        ),
    )

    def clean_place(self) -> str:
        text = visible_text(self.cleaned_data.get("place", ""))
        if text and not place_for(text).known:
            raise forms.ValidationError(
                _(
                    "We do not know that place. Enter a town, like Weymouth, or a "
                    "postcode, like DT4 7AB, or leave it blank"
                )
            )
        return text


class EmailResultForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will send your results to this address once. We do not keep it."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
