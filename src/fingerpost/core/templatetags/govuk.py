from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from fingerpost.core import registry
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
