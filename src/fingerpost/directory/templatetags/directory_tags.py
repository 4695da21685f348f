from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from fingerpost.directory.display import format_time

register = template.Library()


@register.filter
def when(value: datetime | None) -> str:
    """A session's start, GOV.UK style: "Monday 7 December, 2pm"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    starts = local.time().replace(second=0, microsecond=0)
    return f"{date_format(local, 'l j F')}, {format_time(starts)}"
