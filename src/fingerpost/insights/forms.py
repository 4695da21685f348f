"""The dashboard's filters, shared by the page, its downloads and the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from fingerpost.core.registry import InsightQuery
from fingerpost.organisations.models import Area, Organisation

from . import queries

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
# Long enough for several years' trends; a month-by-month table stays readable.
LONGEST_PERIOD_DAYS = 5 * 366
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# More organisations than this are chosen by short name rather than from a list.
LONGEST_LIST = 150


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months: from the first day of the month eleven months ago to today."""
    today = today or timezone.localdate()
    month, year = today.month - 11, today.year
    if month < 1:
        month, year = month + 12, year - 1
    return date(year, month, 1), today


class FilterForm(forms.Form):
    start = forms.DateField(
        label="From",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 1/4/2026",
        error_messages={"invalid": "Enter a real date for the start, like 1/4/2026"},
    )
    end = forms.DateField(
        label="To",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 31/3/2027",
        error_messages={"invalid": "Enter a real date for the end, like 31/3/2027"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="slug",
        error_messages={"invalid_choice": "Choose one of your organisations from the list"},
    )
    area = forms.ModelChoiceField(
        label="Area",
        queryset=Area.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label="All areas",
        error_messages={"invalid_choice": "Choose an area from the list"},
    )

    def __init__(self, *args: Any, scope: frozenset[int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = queries.organisations_for(scope)
        organisation.empty_label = (
            "The whole partnership" if scope is None else "All your organisations"
        )
        many = len(scope) if scope is not None else organisation.queryset.count()
        if many > LONGEST_LIST:
            # Thousands of options make a list nobody can use (and a slow page):
            # the organisation's short name instead, checked the same way.
            organisation.widget = forms.TextInput(attrs={"spellcheck": "false"})
            organisation.help_text = "Its short name, as in its page's address"
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = queries.areas()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("start", "end"):
            value = cleaned.get(name)
            if value and not EARLIEST <= value <= LATEST:
                self.add_error(name, f"Enter a date between {EARLIEST.year} and {LATEST.year}")
        start, end = default_period()
        start, end = cleaned.get("start") or start, cleaned.get("end") or end
        if "start" in cleaned and "end" in cleaned:
            if end < start:
                self.add_error("end", "The end date must be the same as or after the start date")
            elif (end - start).days > LONGEST_PERIOD_DAYS:
                self.add_error("start", "Choose a period of 5 years or less")
        return cleaned

    def insight_query(self) -> InsightQuery:
        """The figures asked for; the defaults when the form is not bound.
        Call only on a valid or unbound form."""
        start, end = default_period()
        data = self.cleaned_data if self.is_bound else {}
        organisation, area = data.get("organisation"), data.get("area")
        if organisation is not None:
            organisation_ids: frozenset[int] | None = queries.with_branches(organisation)
        else:
            organisation_ids = self.scope
        return InsightQuery(
            start=data.get("start") or start,
            end=data.get("end") or end,
            organisation_ids=organisation_ids,
            area_id=area.pk if area is not None else None,
            area_terms=queries.area_terms(area) if area is not None else (),
        )

    def first_error(self) -> tuple[str, str]:
        """The first field at fault and its message (for the API)."""
        for name, errors in self.errors.items():
            return ("" if name == "__all__" else name), str(errors[0])
        return "", ""
