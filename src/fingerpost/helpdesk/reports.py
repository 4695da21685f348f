"""Counts for the partnership: requests by need, status, outcome, source and
area, and time to first contact. A fixed number of queries whatever the volume."""

import hashlib
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from .models import HelpRequest, HelpRequestNeed, Need, Outcome, ReferralSource, Status

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


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
        for name in ("start", "end"):
            value = cleaned.get(name)
            if value and not EARLIEST <= value <= LATEST:
                # add_error also drops the value from cleaned_data.
                self.add_error(name, f"Enter a date between {EARLIEST.year} and {LATEST.year}")
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


class _WaitPercentiles(Aggregate):
    """PostgreSQL's ordered-set aggregate: the median and 90th percentile in one pass."""

    function = "percentile_cont"
    template = "%(function)s(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = ArrayField(DurationField())


def first_contact_waits(with_contact: QuerySet[HelpRequest], total: int) -> tuple[Any, Any]:
    """Median and 90th percentile of the time to first contact."""
    if total == 0:
        return None, None
    wait = ExpressionWrapper(F("first_contact_at") - F("created_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        median, p90 = with_contact.aggregate(waits=_WaitPercentiles(wait))["waits"]
        return median, p90
    # Elsewhere (SQLite): read the neighbouring ranks and interpolate as
    # percentile_cont does, so both databases report the same figures.
    ordered = with_contact.annotate(wait=wait).order_by("wait").values_list("wait", flat=True)

    def percentile(fraction: float) -> timedelta:
        position = fraction * (total - 1)
        low = int(position)
        pair = list(ordered[low : low + 2])
        if len(pair) == 1:
            return pair[0]
        return pair[0] + (pair[1] - pair[0]) * (position - low)

    return percentile(0.5), percentile(0.9)


def _count_each(field: str, choices: list[tuple[Any, Any]]) -> dict[str, Count]:
    return {f"{field}:{value}": Count("pk", filter=Q(**{field: value})) for value, _ in choices}


def figures(requests: QuerySet[HelpRequest], *, start: date, end: date) -> dict[str, Any]:
    tz = timezone.get_current_timezone()
    begin = datetime.combine(start, time.min, tzinfo=tz)
    finish = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    in_period = requests.filter(created_at__gte=begin, created_at__lt=finish)
    # Every count of requests in one scan of the period.
    counts = in_period.aggregate(
        total=Count("pk"),
        contacted=Count("pk", filter=Q(first_contact_at__isnull=False)),
        **_count_each("status", Status.choices),
        **_count_each("outcome", Outcome.choices),
        **_count_each("referral_source", ReferralSource.choices),
    )

    def each(field: str, choices: list[tuple[Any, Any]]) -> list[tuple[str, int]]:
        return [(str(label), counts[f"{field}:{value}"]) for value, label in choices]

    needs = dict(
        HelpRequestNeed.objects.filter(request__in=in_period)
        .values_list("need")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # By town from the partnership's list, so "DT4 7" and "Weymouth" are one.
    towns = list(
        in_period.values_list("town__name").annotate(n=Count("pk")).order_by("-n", "town__name")
    )
    by_area = [(name, n) for name, n in towns if name] + [
        ("Not known or outside the area", n) for name, n in towns if not name
    ]
    median, p90 = first_contact_waits(
        in_period.filter(first_contact_at__isnull=False), counts["contacted"]
    )
    return {
        "total": counts["total"],
        "by_need": [
            (str(label), needs.get(value, 0)) for value, label in _labels(Need.choices).items()
        ],
        "by_status": each("status", Status.choices),
        "by_outcome": each("outcome", Outcome.choices),
        "by_source": each("referral_source", ReferralSource.choices),
        "by_area": by_area,
        "contacted": counts["contacted"],
        "first_contact_median": median,
        "first_contact_p90": p90,
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
        ("by_area", "town"),
    ]:
        rows += [(name, label, count) for label, count in figures[key]]
    rows.append(("first contact, median hours", "", hours(figures["first_contact_median"])))
    rows.append(("first contact, 90th percentile hours", "", hours(figures["first_contact_p90"])))
    return rows


def kept_figures(
    requests: QuerySet[HelpRequest], *, start: date, end: date
) -> tuple[dict[str, Any], datetime]:
    """The figures and when they were worked out. A report scans every request
    of the period (all of them at 100,000 requests), so the same report (the
    same requests seen, the same period) is kept in the shared cache for
    FINGERPOST_HELPDESK_REPORT_SECONDS: people opening it together share one
    scan, and a figure is never older than that."""
    seconds = settings.FINGERPOST_HELPDESK_REPORT_SECONDS
    try:
        sql, params = requests.query.sql_with_params()
    except EmptyResultSet:
        seconds = 0
    if seconds <= 0:
        return figures(requests, start=start, end=end), timezone.now()
    text = f"{sql}|{params!r}|{start}|{end}"
    key = "helpdesk-report:" + hashlib.sha256(text.encode()).hexdigest()
    kept = cache.get(key)
    if kept is None:
        kept = (figures(requests, start=start, end=end), timezone.now())
        cache.set(key, kept, seconds)
    return kept  # type: ignore[no-any-return]
