"""Private links never reach the logs."""

import logging

import pytest
from django.test import Client

from fingerpost.core.logging import HidePrivateLinks, hide_private_links
from fingerpost.events import services

from ..factories import EventFactory


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
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(HidePrivateLinks())
    logger = logging.getLogger("django_structlog")
    logger.addHandler(handler)
    try:
        client.get(booking.get_manage_url())
        client.get(booking.get_manage_url() + "nope/")  # a 404, logged by Django too
    finally:
        logger.removeHandler(handler)
    written = " ".join(str(r.msg) + r.getMessage() for r in records)
    assert "/events/bookings/[private]/" in written
    assert booking.token not in written


def test_the_log_handler_uses_the_filter(settings) -> None:
    assert "hide_private_links" in settings.LOGGING["handlers"]["stream"]["filters"]
