"""Private links never reach the logs."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.test import Client

from fingerpost.core.logging import HidePrivateLinks, hide_private_links
from fingerpost.events import services

from ..factories import EventFactory


@contextmanager
def request_log(*filters: logging.Filter) -> Iterator[list[logging.LogRecord]]:
    """The records the request logger writes inside the block."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    for kept_out in filters:
        handler.addFilter(kept_out)
    logger = logging.getLogger("fingerpost.requests")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def test_tokens_in_paths_are_hidden() -> None:
    assert (
        hide_private_links("GET /events/bookings/abcDEF123_-x/feedback/")
        == "GET /events/bookings/[private]/feedback/"
    )
    assert hide_private_links("GET /get-help/status/tok3n/") == "GET /get-help/status/[private]/"
    assert hide_private_links("GET /events/12/") == "GET /events/12/"
    assert (
        hide_private_links("GET /accounts/password/reset/key/1-abc-def/")
        == "GET /accounts/password/reset/key/[private]/"
    )
    assert (
        hide_private_links("GET /accounts/confirm-email/MQ:1abc/")
        == "GET /accounts/confirm-email/[private]/"
    )


@pytest.mark.django_db
def test_a_visit_to_a_booking_link_is_logged_without_its_token(client: Client) -> None:
    booking = services.book_places(
        event_id=EventFactory().pk, name="Ada", email="ada@example.org"
    ).booking
    with request_log(HidePrivateLinks()) as records:
        client.get(booking.get_manage_url())
        client.get(booking.get_manage_url() + "nope/")  # a 404, logged by Django too
    written = " ".join(str(r.msg) + r.getMessage() for r in records)
    assert "/events/bookings/[private]/" in written
    assert booking.token not in written


def test_the_log_handler_uses_the_filter(settings) -> None:
    assert "hide_private_links" in settings.LOGGING["handlers"]["stream"]["filters"]


@pytest.mark.django_db
def test_each_request_writes_one_line_with_its_status_time_and_id(client: Client) -> None:
    with request_log() as records:
        client.get("/events/", HTTP_X_REQUEST_ID="proxy-id-1")
        client.get("/healthz")
    lines = [r.msg for r in records]
    assert len(lines) == 2
    first, second = lines
    assert isinstance(first, dict) and isinstance(second, dict)
    assert first["event"] == "request_finished"
    assert first["request"] == "GET /events/"
    assert first["code"] == 200
    assert first["request_id"] == "proxy-id-1"
    assert first["user_id"] is None
    assert first["ms"] >= 0
    assert second["request"] == "GET /healthz"
    assert second["request_id"] != "proxy-id-1"


@pytest.mark.django_db
def test_a_view_that_raises_is_logged_once_as_failed_with_its_traceback(
    client: Client, monkeypatch
) -> None:
    from fingerpost.events import public_views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(public_views.queries, "PublicEventList", broken)
    client.raise_request_exception = False
    with request_log() as records:
        response = client.get("/events/")
    assert response.status_code == 500
    assert [r.msg["event"] for r in records] == ["request_failed"]  # type: ignore[index]
    assert records[0].msg["code"] == 500  # type: ignore[index]
    assert "RuntimeError" in str(records[0].msg.get("exc_info") or records[0].msg)  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_page_that_is_not_there_is_a_warning_without_a_traceback(client) -> None:
    with request_log() as records:
        # The view raises Http404: anyone can ask for this, so it is no fault.
        response = client.get("/events/999999/")
    assert response.status_code == 404
    assert [r.msg["event"] for r in records] == ["request_finished"]  # type: ignore[index]
    assert records[0].levelno == logging.WARNING
    assert records[0].msg["reason"] == "Http404"  # type: ignore[index]
    assert "exc_info" not in records[0].msg  # type: ignore[operator]
