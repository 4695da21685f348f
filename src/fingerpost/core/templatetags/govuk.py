from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from fingerpost.core import registry, timeformat
from fingerpost.core.forms import error_summary_items

register = template.Library()


@register.simple_tag(takes_context=True)
def page_panels(context: template.Context, slot: str, obj: Any) -> SafeString:
    """What other apps add to this page at `slot` (see core.registry.add_page_panel)."""
    request = context.get("request")
    parts = []
    for panel in registry.page_panels(slot):
        panel_context = panel.context(request, obj)
        if panel_context is not None:
            parts.append(render_to_string(panel.template, panel_context, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered template


@register.simple_tag
def govuk_error_summary_items(form: Any) -> list[dict[str, str]]:
    if form is None or not hasattr(form, "errors") or not form.errors:
        return []
    return error_summary_items(form)


@register.filter
def govuk_time(value: Any) -> str:
    """ "10am", "10:30am", "midday"."""
    return timeformat.govuk_time(value)


@register.filter
def govuk_datetime(value: Any, date: str = "l j F Y") -> str:
    """ "Monday 7 December 2026 at 2pm"; the argument is the date part's format."""
    return timeformat.govuk_date_time(value, date)


@register.filter
def govuk_time_range(starts: Any, ends: Any) -> str:
    """ "10am to midday"."""
    return timeformat.govuk_time_range(starts, ends)


@register.filter
def phone(value: Any) -> str:
    """A stored phone number with its spaces back: "01305 221000"."""
    return timeformat.phone_display(str(value or ""))


@register.filter
def one_line(value: Any) -> str:
    """An address typed on several lines, on one line with commas, for an email."""
    lines = [line.strip().rstrip(",") for line in str(value or "").splitlines()]
    return ", ".join(line for line in lines if line)
