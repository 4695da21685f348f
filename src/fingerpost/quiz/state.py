"""The few fields of a live session that every phone polls for, read from a
cache that every process shares (when `FINGERPOST_QUIZ_STATE_CACHE` names
one) or from the database.

Services publish the state after each change commits (`publish`); a poll
that finds nothing reads the database and adds it (`cache.add`, never
`set`, so a slow poll cannot put back an older state over a newer one).
Entries expire after a short while as a safety net. A cache private to each
process (`locmemcache://`) must not be named here: the other processes
would not hear of changes. Redis is the one worth naming; the database
cache costs what reading the session row does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from .models import LiveSession

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class LiveState:
    code: str
    session_id: int
    version: int
    phase: str
    position: int
    deadline: datetime | None
    question_count: int
    question_id: int | None  # the question at `position`, if any


def _cache() -> Any:
    alias = settings.FINGERPOST_QUIZ_STATE_CACHE
    return caches[alias] if alias else None


def _key(code: str) -> str:
    # v2: the entry also holds the session and question ids.
    return f"quiz:state:v2:{code}"


def _of(session: LiveSession) -> LiveState:
    ids = session.question_ids
    return LiveState(
        code=session.code,
        session_id=session.pk,
        version=session.version,
        phase=session.phase,
        position=session.position,
        deadline=session.deadline,
        question_count=session.question_count,
        question_id=ids[session.position] if 0 <= session.position < len(ids) else None,
    )


def _packed(state: LiveState) -> tuple[Any, ...]:
    deadline = state.deadline.timestamp() if state.deadline else None
    return (
        state.session_id,
        state.version,
        state.phase,
        state.position,
        deadline,
        state.question_count,
        state.question_id,
    )


def _unpacked(code: str, value: tuple[Any, ...]) -> LiveState:
    session_id, version, phase, position, deadline, count, question_id = value
    when = datetime.fromtimestamp(deadline, tz=UTC) if deadline is not None else None
    return LiveState(code, session_id, version, phase, position, when, count, question_id)


def live_state(code: str) -> LiveState | None:
    """The state of the session with this join code, or None when there is none."""
    if not code.isdigit() or len(code) > 8:
        return None
    cache = _cache()
    if cache is not None:
        value = cache.get(_key(code))
        if value is not None:
            return _unpacked(code, value)
    session = (
        LiveSession.objects.filter(code=code)
        .only("id", "code", "version", "phase", "position", "deadline", "question_ids")
        .first()
    )
    if session is None:
        return None
    state = _of(session)
    if cache is not None:
        cache.add(_key(code), _packed(state), TIMEOUT_SECONDS)
    return state


def publish(session: LiveSession) -> None:
    """Call inside the transaction that changed the session: once it commits,
    every process's polls see the new state."""
    cache = _cache()
    if cache is None:
        return
    state = _of(session)
    transaction.on_commit(lambda: cache.set(_key(state.code), _packed(state), TIMEOUT_SECONDS))
