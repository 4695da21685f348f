"""Counts for the partnership: requests by need, status, outcome, source and
area, and time to first contact. A fixed number of queries whatever the volume."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import Count, DurationField, ExpressionWrapper, F, QuerySet
from django.utils import timezone

from .models import HelpRequest, HelpRequestNeed, Need, Outcome, ReferralSource, Status


class PeriodForm(forms.Form):
    start = forms.DateField(
        label="From",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="For example, 1/4/2026",
        error_messages={"invalid": "Enter a real date, like 1/4/2026"},
    )
    end = forms.DateField(
        label="To",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="For example, 31/3/2027",
        error_messages={"invalid": "Enter a real date, like 31/3/2027"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return cleaned

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        start, end = today - timedelta(days=90), today
        if self.is_bound and self.is_valid():
            start = self.cleaned_data.get("start") or start
            end = self.cleaned_data.get("end") or end
        return start, end


def _labels(choices: list[tuple[Any, Any]]) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices}


def _counts(queryset: QuerySet[Any], field: str, labels: dict[Any, Any]) -> list[tuple[str, int]]:
    rows = dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())
    return [(str(label), rows.get(value, 0)) for value, label in labels.items()]


def _duration_at(
    with_contact: QuerySet[HelpRequest], total: int, fraction: float
) -> timedelta | None:
    if total == 0:
        return None
    index = min(total - 1, int(fraction * total))
    duration = ExpressionWrapper(
        F("first_contact_at") - F("created_at"), output_field=DurationField()
    )
    row = (
        with_contact.annotate(wait=duration).order_by("wait").values_list("wait", flat=True)[index]
    )
    return row


def figures(requests: QuerySet[HelpRequest], *, start: date, end: date) -> dict[str, Any]:
    tz = timezone.get_current_timezone()
    begin = datetime.combine(start, time.min, tzinfo=tz)
    finish = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    in_period = requests.filter(created_at__gte=begin, created_at__lt=finish)
    with_contact = in_period.filter(first_contact_at__isnull=False)
    contacted = with_contact.count()
    by_area = list(
        in_period.exclude(area="")
        .values_list("area")
        .annotate(n=Count("pk"))
        .order_by("-n", "area")[:20]
    )
    return {
        "total": in_period.count(),
        "by_need": _counts(
            HelpRequestNeed.objects.filter(request__in=in_period), "need", _labels(Need.choices)
        ),
        "by_status": _counts(in_period, "status", _labels(Status.choices)),
        "by_outcome": _counts(in_period.exclude(outcome=""), "outcome", _labels(Outcome.choices)),
        "by_source": _counts(in_period, "referral_source", _labels(ReferralSource.choices)),
        "by_area": by_area,
        "contacted": contacted,
        "first_contact_median": _duration_at(with_contact, contacted, 0.5),
        "first_contact_p90": _duration_at(with_contact, contacted, 0.9),
    }


def hours(duration: timedelta | None) -> str:
    return "" if duration is None else f"{duration.total_seconds() / 3600:.1f}"


def as_rows(figures: dict[str, Any]) -> list[tuple[str, str, Any]]:
    rows: list[tuple[str, str, Any]] = [("total requests", "", figures["total"])]
    for key, name in [
        ("by_need", "need"),
        ("by_status", "status"),
        ("by_outcome", "outcome"),
        ("by_source", "referral source"),
        ("by_area", "area"),
    ]:
        rows += [(name, label, count) for label, count in figures[key]]
    rows.append(("first contact, median hours", "", hours(figures["first_contact_median"])))
    rows.append(("first contact, 90th percentile hours", "", hours(figures["first_contact_p90"])))
    return rows
