import re
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


# Words that keep their capital inside a sentence-case heading.
_KEEP_CAPITALS = {"I", "Fingerpost", "GOV.UK", "Notify", "Welsh", "English"}


@register.filter(is_safe=True)
def sentence_case(value: Any) -> str:
    """allauth's headings, buttons and labels are in Title Case ("Sign In",
    "Remember Me", "Email Addresses"); the rest of the site uses sentence
    case. Lowers every capitalised word after the first, except acronyms and
    names. Only the words of the text are touched, never markup."""
    text = str(value)
    parts = re.split(r"(<[^>]*>)", text)
    first = True
    for i, part in enumerate(parts):
        if part.startswith("<"):
            continue
        words = re.split(r"(\s+)", part)
        for j, word in enumerate(words):
            if not word.strip():
                continue
            if first:
                first = False
                # "Two-Factor authentication": the rest of a hyphenated first word too.
                head, *rest = word.split("-")
                words[j] = "-".join([head, *(p.lower() if p[1:].islower() else p for p in rest)])
                continue
            bare = word.strip(".,:;!?()'\"")
            if bare in _KEEP_CAPITALS or not bare[:1].isupper() or bare.isupper():
                continue
            if bare[1:] == bare[1:].lower():
                words[j] = word.replace(bare, bare[0].lower() + bare[1:], 1)
        parts[i] = "".join(words)
    return mark_safe("".join(parts))  # noqa: S308 - the input was already safe markup


_BARE_LINK = re.compile(r"<a (?![^>]*\bclass=)")
_LABEL = re.compile(r"(<label\b[^>]*>)(.*?)(</label>)", re.S)
_LINK_HINT = re.compile(
    r'\s*<div id="(?P<id>[^"]+)_helptext" class="govuk-hint">(?P<link><a [^>]*>.*?</a>)</div>', re.S
)


@register.filter(is_safe=True)
def govuk_links(value: Any) -> str:
    """Links in text that allauth writes get the GOV.UK link style."""
    return mark_safe(_BARE_LINK.sub('<a class="govuk-link" ', str(value)))  # noqa: S308


@register.filter(is_safe=True)
def allauth_form(value: Any) -> str:
    """An allauth form as the rest of the site writes one: labels in sentence
    case, GOV.UK links, and a hint that is only a link (the sign-in page's
    "Forgot your password?") moved after its field, never between a label and
    the field it names."""
    html = _LABEL.sub(lambda m: m.group(1) + sentence_case(m.group(2)) + m.group(3), str(value))
    for hint in list(_LINK_HINT.finditer(html)):
        field_id = hint.group("id")
        html = html.replace(hint.group(0), "", 1)
        html = html.replace(f' aria-describedby="{field_id}_helptext"', "", 1)
        end = html.find(">", html.find(f'id="{field_id}"')) + 1
        if end > 0:
            link = f'<p class="govuk-body govuk-!-margin-top-2">{hint.group("link")}</p>'
            html = html[:end] + link + html[end:]
    return govuk_links(html)
