"""What every part of the API shares: paging, the error body, who is calling,
and input read as strictly as the OpenAPI document describes it."""

import json
import re
from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from pydantic import BeforeValidator

from fingerpost.accounts.models import User

from .errors import NotAllowed

NOT_ALLOWED_MESSAGE = "You do not have permission to do this"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
)


class StrictParser(Parser):
    """JSON bodies must be objects, and a query or form field that is not a
    list is given once. Without this a body of `"AAA"` validates as a schema
    by reading the string's attributes, and `?id=1&id=x` quietly keeps the last."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key in data:
            if key not in list_fields and len(data.getlist(key)) > 1:
                raise HttpError(422, f"Give {key} once")
        return super().parse_querydict(data, list_fields, request)


def _iso_date(value: object) -> object:
    # Pydantic would also take a number (seconds since 1970) as a date.
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("Enter a date as YYYY-MM-DD")


def _iso_datetime(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATETIME.fullmatch(value):
        return value
    raise ValueError("Enter a date and time as YYYY-MM-DDTHH:MM")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]


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
