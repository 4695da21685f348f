"""A team's self-assessment: the service, then a rating, evidence and actions for each point."""

from __future__ import annotations

from typing import Any

from django import forms

from . import standard
from .models import Assessment, Rating


class StartAssessmentForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label="Organisation",
        coerce=int,
        error_messages={"required": "Choose the organisation whose service it is"},
    )
    service_name = forms.CharField(
        label="Name of the service",
        help_text="For example, Apply for a library card",
        max_length=120,
        error_messages={"required": "Enter the name of the service"},
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0][0]


class AssessmentForm(forms.Form):
    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        initial: dict[str, str] = dict(kwargs.pop("initial", None) or {})
        for row in assessment.ratings.all():
            initial[f"rating_{row.point}"] = row.rating
            initial[f"evidence_{row.point}"] = row.evidence
            initial[f"actions_{row.point}"] = row.actions
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for point, title in standard.points().items():
            self.fields[f"rating_{point}"] = forms.ChoiceField(
                label=f"{point}. {title}",
                choices=Rating.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"evidence_{point}"] = forms.CharField(
                label="Evidence",
                required=False,
                max_length=2000,
                help_text="What shows this, such as research, data or feedback",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"actions_{point}"] = forms.CharField(
                label="Actions",
                required=False,
                max_length=2000,
                help_text="What the team will do next about this point",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @property
    def point_rows(self) -> list[tuple[int, Any, Any, Any]]:
        return [
            (p, self[f"rating_{p}"], self[f"evidence_{p}"], self[f"actions_{p}"])
            for p in standard.points()
        ]

    @property
    def ratings(self) -> dict[int, tuple[str, str, str]]:
        data = self.cleaned_data
        return {
            p: (
                data.get(f"rating_{p}", ""),
                data.get(f"evidence_{p}", ""),
                data.get(f"actions_{p}", ""),
            )
            for p in standard.points()
        }
