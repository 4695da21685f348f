"""Finding help near you (a search anyone can use) and coordinators' forms
for keeping a location's details current."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fingerpost.core.text import visible_text
from fingerpost.helpdesk.models import Need

from .models import HelpLocation, Weekday
from .queries import Place, place_for
from .services import EDITABLE_FIELDS

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M", "%I:%M%p", "%I%p", "%I:%M %p", "%I %p"]


class FindHelpForm(forms.Form):
    place = forms.CharField(
        label=_("Town or postcode"),
        help_text=_("For example, Weymouth or DT4 7AB."),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "govuk-input--width-20"}
        ),
    )
    need = forms.ChoiceField(
        label=_("What would you like help with?"),
        choices=[("", _("Any kind of help")), *Need.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_place(self) -> str:
        text = visible_text(self.cleaned_data.get("place", ""))
        self.found_place: Place | None = None
        if text:
            place = place_for(text)
            if not place.known:
                raise forms.ValidationError(
                    _(
                        "We do not know that place. Enter a town, like Weymouth, "
                        "or a postcode, like DT4 7AB"
                    )
                )
            self.found_place = place
        return text


class LocationForm(forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label=_("What help is offered here?"),
        help_text=_("Select all that apply."),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select the help offered here")},
    )

    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = HelpLocation
        fields = EDITABLE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "postcode": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
            "phone": forms.TextInput(attrs={"type": "tel", "class": "govuk-input--width-20"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["needs"] = [n.need for n in self.instance.needs.all()]

    def clean_postcode(self) -> str:
        return " ".join(self.cleaned_data["postcode"].upper().split())


class HoursForm(forms.Form):
    """A start and finish time for each day; both blank means closed that day."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in Weekday.choices:
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s: opens") % {"day": label},
                required=False,
                input_formats=TIME_FORMATS,
                widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
                error_messages={"invalid": _("Enter a time, like 09:00 or 17:30")},
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s: closes") % {"day": label},
                required=False,
                input_formats=TIME_FORMATS,
                widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
                error_messages={"invalid": _("Enter a time, like 09:00 or 17:30")},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for day, label in Weekday.choices:
            opens, closes = cleaned.get(f"opens_{day}"), cleaned.get(f"closes_{day}")
            if f"opens_{day}" in self.errors or f"closes_{day}" in self.errors:
                continue
            if (opens is None) != (closes is None):
                missing = f"closes_{day}" if closes is None else f"opens_{day}"
                self.add_error(
                    missing,
                    _("Enter both times for %(day)s, or leave both blank if closed")
                    % {"day": label},
                )
            elif opens is not None and closes is not None and closes <= opens:
                self.add_error(
                    f"closes_{day}",
                    _("%(day)s: the closing time must be after the opening time") % {"day": label},
                )
        return cleaned

    def hours(self) -> dict[int, tuple[time, time] | None]:
        result: dict[int, tuple[time, time] | None] = {}
        for day in Weekday.values:
            opens = self.cleaned_data.get(f"opens_{day}")
            closes = self.cleaned_data.get(f"closes_{day}")
            result[day] = (opens, closes) if opens and closes else None
        return result


class ExceptionForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        help_text=_("For example, 25/12/2026."),
        input_formats=["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": _("Enter the date"),
            "invalid": _("Enter a real date, like 25/12/2026"),
        },
    )
    closed = forms.TypedChoiceField(
        label=_("Is it closed all day?"),
        choices=[("yes", _("Yes, closed all day")), ("no", _("No, open at different times"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether it is closed all day")},
    )
    opens = forms.TimeField(
        label=_("Opens (if open)"),
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": _("Enter a time, like 09:00 or 17:30")},
    )
    closes = forms.TimeField(
        label=_("Closes (if open)"),
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": _("Enter a time, like 09:00 or 17:30")},
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        help_text=_("For example, bank holiday."),
        required=False,
        max_length=100,
    )
