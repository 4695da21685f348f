"""When someone is usually free, as days of the week and parts of the day.

Shared by champions (their availability, "mon_morning" slots) and help
requests (the days and parts of the day the resident gave), so matching can
AND the two: a week is 21 slots, slot bit `day * 3 + part`."""

from collections.abc import Iterable

from django.db import models
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _


class Day(models.TextChoices):
    MON = "mon", _("Monday")
    TUE = "tue", _("Tuesday")
    WED = "wed", _("Wednesday")
    THU = "thu", _("Thursday")
    FRI = "fri", _("Friday")
    SAT = "sat", _("Saturday")
    SUN = "sun", _("Sunday")


class DayPart(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


DAYS = list(Day.values)
PARTS = list(DayPart.values)


def availability_choices() -> list[tuple[str, str]]:
    """Each slot is "<day>_<part>", such as "mon_morning"."""
    return [
        (f"{day}_{part}", f"{day_label} {str(part_label).lower()}")
        for day, day_label in Day.choices
        for part, part_label in DayPart.choices
    ]


def slot_bit(day: str, part: str) -> int:
    return 1 << (DAYS.index(day) * len(PARTS) + PARTS.index(part))


def slots_mask(slots: Iterable[str]) -> int:
    """Slots ("mon_morning") as bits; anything else is left out."""
    mask = 0
    for slot in slots:
        day, _sep, part = str(slot).partition("_")
        if day in DAYS and part in PARTS:
            mask |= slot_bit(day, part)
    return mask


def free_mask(days: Iterable[str], parts: Iterable[str]) -> int:
    """A resident's days and parts of the day as slot bits. Only days given
    means any time on those days, only parts means those parts of any day;
    nothing given is 0 (not known)."""
    days = [d for d in days if d in DAYS]
    parts = [p for p in parts if p in PARTS]
    if not days and not parts:
        return 0
    mask = 0
    for day in days or DAYS:
        for part in parts or PARTS:
            mask |= slot_bit(day, part)
    return mask


def slots_phrase(mask: int) -> str:
    """Slot bits in words: "Tuesday afternoons and Thursday mornings"; a
    whole day is "Tuesdays"."""
    words = []
    for d, day_label in enumerate(Day.labels):
        parts = [
            str(part_label).lower()
            for p, part_label in enumerate(DayPart.labels)
            if mask >> (d * len(PARTS) + p) & 1
        ]
        if len(parts) == len(PARTS):
            words.append(f"{day_label}s")
        elif parts:
            words.append(f"{day_label} {get_text_list([f'{p}s' for p in parts], 'and')}")
    return get_text_list(words, "and")


def free_phrase(days: Iterable[str], parts: Iterable[str]) -> str:
    """What a resident gave, in words, or "" when they gave nothing."""
    day_labels, part_labels = dict(Day.choices), dict(DayPart.choices)
    days = [str(day_labels[d]) for d in DAYS if d in set(days)]
    parts = [str(part_labels[p]).lower() for p in PARTS if p in set(parts)]
    if not days and not parts:
        return ""
    on = get_text_list(days, "and") if days else "Any day"
    at = get_text_list([f"{p}s" for p in parts], "and") if parts else "any time of day"
    return f"{on}: {at}"


def in_order(values: Iterable[str], choices: list[str]) -> list[str]:
    """The known values, once each, in the week's order."""
    given = set(values)
    return [c for c in choices if c in given]
