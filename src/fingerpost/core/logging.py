"""Logs never hold the private links that let a person see or cancel their
booking or help request: the token in such a path is replaced."""

import logging
import re
from typing import Any

# /events/bookings/<token>/..., /get-help/status/<token>/, and the account
# links that sign someone in: /accounts/password/reset/key/<key>/ and
# /accounts/confirm-email/<key>/.
PRIVATE_LINK = re.compile(r"(/(?:bookings|status|reset/key|confirm-email)/)[^/\s?\"']+")
HIDDEN = r"\1[private]"


def hide_private_links(text: str) -> str:
    return PRIVATE_LINK.sub(HIDDEN, text)


class HidePrivateLinks(logging.Filter):
    """For every record a handler writes, structlog's event dictionaries and
    plain messages (Django's "Not Found: /path") alike."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, dict):
            record.msg = {key: _hidden(value) for key, value in record.msg.items()}
        else:
            message = record.getMessage()
            hidden = hide_private_links(message)
            if hidden != message:
                record.msg, record.args = hidden, None
        return True


def _hidden(value: Any) -> Any:
    return hide_private_links(value) if isinstance(value, str) else value
