"""Points for an answer, and what phase a session is really in.

Pure functions of the session row and the server's clock, so every process
agrees without talking to the others.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from .models import Phase


class SessionState(Protocol):
    """A LiveSession, or the LiveState polls read from the shared cache."""

    @property
    def version(self) -> int: ...
    @property
    def phase(self) -> str: ...
    @property
    def deadline(self) -> datetime | None: ...


# Right answers score from BASE_POINTS (at the last moment) up to
# BASE_POINTS + SPEED_POINTS (at once), as classroom quiz tools do.
BASE_POINTS = 500
SPEED_POINTS = 500


def points_for(*, correct: bool, elapsed_ms: int, limit_seconds: int) -> int:
    if not correct:
        return 0
    limit_ms = max(limit_seconds * 1000, 1)
    left = max(0.0, 1.0 - elapsed_ms / limit_ms)
    return BASE_POINTS + round(SPEED_POINTS * left)


def effective_phase(session: SessionState, now: datetime) -> str:
    """A question whose deadline has passed shows its answer: no process has
    to wake up at the deadline for everyone to see it."""
    if session.phase == Phase.QUESTION and session.deadline and now >= session.deadline:
        return Phase.ANSWER
    return session.phase


def is_open(session: SessionState, now: datetime) -> bool:
    return effective_phase(session, now) == Phase.QUESTION


def remaining_ms(session: SessionState, now: datetime) -> int:
    if not session.deadline or not is_open(session, now):
        return 0
    return max(0, int((session.deadline - now).total_seconds() * 1000))


def state_tag(session: SessionState, now: datetime) -> str:
    """Changes whenever what players should see changes (the ETag of the poll)."""
    return f"{session.version}-{effective_phase(session, now)}"


def poll_after_ms(session: SessionState, now: datetime) -> int:
    """When a phone should ask again. While a question is open nothing is
    due until its deadline (which the phone counts down itself) except the
    presenter stopping it early, so phones ask less often then; between
    questions the presenter may move on at any moment."""
    from django.conf import settings

    often = int(settings.FINGERPOST_QUIZ_POLL_MS)
    if not is_open(session, now) or session.deadline is None:
        return often
    left = int((session.deadline - now).total_seconds() * 1000)
    return max(often, min(3 * often, left))
