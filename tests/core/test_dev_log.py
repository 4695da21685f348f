"""Private links are hidden in the development server's log too (finding 9):
`make run` prints one line per request through the `django.server` logger."""

import logging


def test_the_development_servers_request_line_hides_the_token() -> None:
    logger = logging.getLogger("django.server")
    handler = next(h for h in logger.handlers)
    record = logger.makeRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /events/bookings/SECRET-TOKEN-123/ HTTP/1.1", "200", "512"),
        None,
    )
    assert all(f.filter(record) for f in handler.filters)
    line = handler.format(record)
    assert "SECRET-TOKEN-123" not in line and "/events/bookings/[private]/" in line


def test_status_links_in_the_dev_log_are_hidden_as_well() -> None:
    logger = logging.getLogger("django.server")
    assert logger.handlers and not logger.propagate
    handler = logger.handlers[0]
    record = logger.makeRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /get-help/status/abcDEF123/ HTTP/1.1", "200", "10"),
        None,
    )
    for log_filter in handler.filters:
        log_filter.filter(record)
    assert "abcDEF123" not in handler.format(record)
