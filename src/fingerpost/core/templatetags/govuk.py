from typing import Any

from django import template

from fingerpost.core.forms import error_summary_items

register = template.Library()


@register.simple_tag
def govuk_error_summary_items(form: Any) -> list[dict[str, str]]:
    if form is None or not hasattr(form, "errors") or not form.errors:
        return []
    return error_summary_items(form)
