"""What the network's services share."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Model
from django.utils.text import slugify

from fingerpost.core.errors import Invalid

_LINK = URLValidator(schemes=["http", "https"])


def unique_slug(model: type[Model], text: str) -> str:
    base = slugify(text)[:180] or "item"
    slug, number = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def clean_link(value: str, *, field: str = "url") -> str:
    """A web address starting http:// or https://, or "" for none."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 500:
        raise Invalid("The link must be 500 characters or fewer.", field=field)
    try:
        _LINK(value)
    except ValidationError:
        raise Invalid("Enter a link starting with https:// or http://.", field=field) from None
    return value
