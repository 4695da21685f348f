"""What every part of the API shares: paging and the error body."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset paging with bounds, so a huge offset is a 422, not a database overflow."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=100)
        offset: int = Field(0, ge=0, le=1_000_000)


class ErrorOut(Schema):
    """A refusal: `detail` is a message for people, or a list of field errors
    when the request did not match the schema."""

    detail: str | list[Any]
