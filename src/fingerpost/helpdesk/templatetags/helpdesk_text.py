"""Plain-English wording shared by the resident's pages, emails and texts."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def first_contact_promise(hours: int | None = None) -> str:
    """When someone will first contact a resident, from the first-contact target.

    The target is measured in hours round the clock (coordinators are reminded
    once it has passed), so whole days are said as days and anything else as
    hours: 48 is "within 2 days", 36 is "within 36 hours", 24 is "within 24 hours".
    """
    if hours is None:
        hours = settings.FINGERPOST_HELPDESK_FIRST_CONTACT_HOURS
    if hours <= 0:
        return "soon"
    if hours >= 48 and hours % 24 == 0:
        return f"within {hours // 24} days"
    return f"within {hours} hour{'' if hours == 1 else 's'}"
