"""Cleaning text people type or paste."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .errors import Invalid

INVISIBLE = {"Cc", "Cf"}  # control and format characters, such as zero-width spaces


def visible_text(value: str) -> str:
    """Drop invisible characters and squeeze runs of spaces to one."""
    kept = "".join(ch for ch in value if unicodedata.category(ch) not in INVISIBLE)
    return " ".join(kept.split())


def visible_lines(value: str) -> str:
    """Like visible_text, but keeps line breaks (addresses, descriptions)."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = [
        "".join(ch for ch in line if unicodedata.category(ch) not in INVISIBLE).rstrip()
        for line in lines
    ]
    return "\n".join(kept).strip()


EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.org"


def email_address(value: str) -> str:
    """An email address as it is stored and compared: invisible characters
    dropped, lower case. The one rule for every form, the API and the
    services; raises Invalid (at the field "email") when it is not one."""
    email = visible_text(value).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Invalid(EMAIL_FORMAT_MESSAGE, field="email") from None
    return email


def phone_number(value: str) -> str:
    """A phone number as it is stored and searched for: digits only, with a UK
    +44 or 0044 prefix written as 0, so "+44 7700 900123" finds "07700900123"."""
    kept = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    international = kept.startswith("+") or kept.startswith("00")
    digits = kept.lstrip("+").removeprefix("00") if international else kept
    digits = digits.replace("+", "")
    if international and digits.startswith("44"):
        return "0" + digits[2:]
    return ("+" + digits) if international else digits
