"""Residents use shared library PCs: a visitor's session (answers half given,
a booking just made) must not wait there for the next person. A session
without a signed-in person ends when the browser closes and after a short
idle time (FINGERPOST_ANONYMOUS_SESSION_IDLE_MINUTES)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

LAST_SEEN = "_fp_last_seen"
# Writing the time on every request would save the session every time.
REFRESH_SECONDS = 30


class ShortAnonymousSessions:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        idle = settings.FINGERPOST_ANONYMOUS_SESSION_IDLE_MINUTES * 60
        now = time.time()
        if session is not None and not (user and user.is_authenticated):
            last_seen = session.get(LAST_SEEN)
            if last_seen is not None and now - float(last_seen) > idle:
                session.flush()  # the answers of whoever was here before
        response = self.get_response(request)
        user = getattr(request, "user", None)  # signing in happens during the request
        if session is not None and not (user and user.is_authenticated) and not session.is_empty():
            last_seen = session.get(LAST_SEEN)
            if session.modified or last_seen is None or now - float(last_seen) > REFRESH_SECONDS:
                session[LAST_SEEN] = now
                session.set_expiry(0)  # a cookie that goes when the browser closes
        return response
