"""Times, dates and phone numbers as people read them, in the GOV.UK style:
"10am", "10:30am", "midday", "Monday 7 December 2026 at 2pm", "01305 221000"."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def govuk_time(value: time | datetime | None) -> str:
    """9am, 5:30pm, midday, midnight (a datetime is read in local time)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).time() if timezone.is_aware(value) else value.time()
    if value.hour == 12 and value.minute == 0:
        return _("midday")
    if value.hour == 0 and value.minute == 0:
        return _("midnight")
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def govuk_date_time(value: datetime | None, date: str = "l j F Y") -> str:
    """ "Monday 7 December 2026 at 2pm" (the date part in Django's `date` format)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return _("%(date)s at %(time)s") % {"date": date_format(local, date), "time": govuk_time(local)}


def govuk_time_range(starts: datetime | None, ends: datetime | None) -> str:
    """ "10am to midday"."""
    if starts is None:
        return ""
    if ends is None:
        return govuk_time(starts)
    return _("%(starts)s to %(ends)s") % {"starts": govuk_time(starts), "ends": govuk_time(ends)}


def phone_display(value: str) -> str:
    """A stored phone number (digits only) spaced the way people write it:
    07700 900123, 020 7946 0000, 0800 123 4567, 01305 221000."""
    digits = value.strip()
    if not digits.isdigit() or len(digits) != 11 or not digits.startswith("0"):
        return value
    if digits.startswith(("02", "03")):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if digits.startswith(("080", "084", "087", "09")):
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    # Mobiles (07...) and most geographic numbers: a five-digit code, then six.
    return f"{digits[:5]} {digits[5:]}"
