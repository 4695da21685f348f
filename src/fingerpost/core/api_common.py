"""What every part of the API shares: paging, the error body and who is calling."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from fingerpost.accounts.models import User

from .errors import NotAllowed

NOT_ALLOWED_MESSAGE = "You do not have permission to do this"


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset paging with bounds, so a huge offset is a 422, not a database overflow."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=100)
        offset: int = Field(0, ge=0, le=1_000_000)


class ErrorOut(Schema):
    """A refusal: `detail` is a message for people, or a list of field errors
    when the request did not match the schema."""

    detail: str | list[Any]


def api_user(
    request: HttpRequest, permission: str | None = None, *, refusal: str = NOT_ALLOWED_MESSAGE
) -> User:
    """The person behind an authenticated call, who must hold `permission`
    (a `rules` permission) when one is named; anyone else gets a 403 with
    `refusal` (NotAllowed)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User) or (permission and not user.has_perm(permission)):
        raise NotAllowed(refusal)
    return user
