"""The request log, one line per request, and what keeps private links out
of every log: the token in a path that lets a person see or cancel their
booking or help request is replaced."""

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.functional import empty

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


request_log = structlog.get_logger("fingerpost.requests")


def _level(status: int) -> int:
    if status >= 500:
        return logging.ERROR
    if status >= 400:
        return logging.WARNING
    return logging.INFO


class AccessLog:
    """One log line per request, written when the response is ready:
    `request_finished` (or `request_failed`, with the traceback, when the view
    raised and the answer is a 5xx), the method and path, the status, how
    long it took, the request's id (the proxy's X-Request-ID, or a new one)
    and who was signed in.

    The id is bound for the whole request, so every other line written while
    it runs carries it too. Nothing is loaded only to be logged: the user's id
    is written when something in the request already looked the user up. No
    IP address is written: residents use shared library computers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        request_id = request.META.get("HTTP_X_REQUEST_ID", "")[:100] or uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            response = self.get_response(request)
            line: dict[str, Any] = {
                "request": f"{request.method} {request.get_full_path()}",
                "code": response.status_code,
                "ms": round(1000 * (time.perf_counter() - started), 1),
                "user_id": _user_id(request),
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            }
            failure = getattr(request, "_failed", None)
            if failure is not None and response.status_code >= 500:
                request_log.error("request_failed", exc_info=failure, **line)
            elif failure is not None:
                # A 404 or 403 raised by a view (Http404, PermissionDenied) is
                # an answer, not a fault: anyone can ask for a page that is not
                # there, so no traceback and no error that would page someone.
                line["reason"] = type(failure).__name__
                request_log.log(_level(response.status_code), "request_finished", **line)
            else:
                request_log.log(_level(response.status_code), "request_finished", **line)
            return response
        finally:
            structlog.contextvars.unbind_contextvars("request_id")

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Django turns it into the error page; the line above then says why.
        request._failed = exception  # type: ignore[attr-defined]


def _user_id(request: HttpRequest) -> int | None:
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty:
        return None
    return wrapped.pk if getattr(wrapped, "is_authenticated", False) else None
