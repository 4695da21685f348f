"""Phones poll their quiz's state every second; a room of 500 is 500
requests a second. The poll needs no session, user, CSRF, messages or
security policy, so it is answered here, before them (like /healthz), and
before the request log too: a line for every 304 would cost as much as
answering it and bury the lines worth reading. A poll that fails still
reaches the error log through Django's own handler. A phone's `mine/` (its
own score and answer, asked once a question's deadline has passed) is
answered here too: it reads only the player's cookie."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLL_PATH = re.compile(r"^/quiz/(\d{1,8})/(state|mine)/$")


class AnswerStatePolls:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = POLL_PATH.match(request.path_info)
        if found and request.method in ("GET", "HEAD"):
            from .public_views import mine_response, state_response

            request.get_host()  # raises DisallowedHost (a 400) for a host not allowed
            if found.group(2) == "mine":
                return mine_response(request, found.group(1))
            return state_response(request, found.group(1))
        return self.get_response(request)
