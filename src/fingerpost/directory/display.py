"""How opening hours read on a page: "9am to 5:30pm", "Closed"."""

from __future__ import annotations

from datetime import time

from django.utils.translation import gettext as _

from fingerpost.core.timeformat import govuk_time

from .models import HelpLocation, OpeningException, Weekday


def format_time(value: time) -> str:
    """GOV.UK style: 9am, 5:30pm, midday, midnight."""
    return govuk_time(value)


def period_text(opens: time, closes: time) -> str:
    return _("%(opens)s to %(closes)s") % {
        "opens": format_time(opens),
        "closes": format_time(closes),
    }


def weekly_hours(location: HelpLocation) -> list[tuple[str, str]]:
    """(day, hours) for every day of the week, from the prefetched opening hours."""
    by_day = {hours.weekday: hours for hours in location.opening_hours.all()}
    rows = []
    for day, label in Weekday.choices:
        hours = by_day.get(day)
        rows.append((str(label), period_text(hours.opens, hours.closes) if hours else _("Closed")))
    return rows


def exception_text(exception: OpeningException) -> str:
    if exception.closed or exception.opens is None or exception.closes is None:
        return _("Closed")
    return period_text(exception.opens, exception.closes)
