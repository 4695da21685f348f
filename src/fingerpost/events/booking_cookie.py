"""The booking flow's state for one browser, kept in an encrypted cookie instead
of the database session: the answers given so far, the booking just made
(so Back finds it) and the confirmations still to be shown once.

Reading and writing the session cost a query or a commit on nearly every
page of the flow; the cookie costs none. It is encrypted and authenticated
(Fernet) with a key of its own for the person signed in (or for nobody), so
a cookie made up, copied from someone signed in or kept from before signing
in or out is ignored, and a resident's name and email cannot be read from
the browser's cookie store. (A visitor's cookie, copied out of that store
into another browser, would carry their unfinished answers there until the
idle timeout: it is HttpOnly, so no page's script can read it.) Residents
use shared library PCs, so it goes when the browser closes and is ignored
after FINGERPOST_ANONYMOUS_SESSION_IDLE_MINUTES without a page of the flow.
Answers too long for a cookie wait in the session as before. A booking's
private token is never put in it (the cookie stays in the browser after
it is ignored): only the booking's reference, and a keyed digest of the
token for the confirmation shown once.

A view wrapped in `@keeps_booking_state` reads it with `state(request)`;
the cookie is written on the way out only when it changed or is getting old.
"""

import base64
import functools
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

COOKIE_NAME = "fp_booking"
SALT = "fingerpost.events.booking-cookie"
# Browsers keep at least 4096 bytes a cookie, name and attributes included.
MAX_VALUE_BYTES = 3600
# Signing again on every page would be cheap, but rewriting the cookie every
# request is noise; half a minute is the session's own rule (core/sessions.py).
REFRESH_SECONDS = 30
# Confirmations not yet seen, and bookings remembered for Back: a few at most.
KEEP = 5


@dataclass
class BookingState:
    browser_id: str = ""
    # Event id (as text) -> {"details": {...}, "answers": {...}}.
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Event id (as text) -> [booking reference, when booked].
    booked: dict[str, list[Any]] = field(default_factory=dict)
    # Digests of the booking tokens whose confirmation this browser may see once.
    show_once: list[str] = field(default_factory=list)
    signed_at: float = 0.0
    had_cookie: bool = False
    changed: bool = False

    def is_empty(self) -> bool:
        return not (self.answers or self.booked or self.show_once)

    def ensure_browser_id(self) -> str:
        if not self.browser_id:
            self.browser_id = secrets.token_hex(16)
            self.changed = True
        return self.browser_id


def _salt(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    who = str(user.pk) if user is not None and user.is_authenticated else "anonymous"
    return f"{SALT}:{who}"


def _cipher(request: HttpRequest) -> MultiFernet:
    """Keys derived from SECRET_KEY (then its fallbacks, so rotating it
    keeps cookies in flight readable) for this person."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(_salt(request), "", secret=key, algorithm="sha256").digest()
                )
            )
            for key in keys
        ]
    )


def _seal(request: HttpRequest, value: dict[str, Any]) -> str:
    # Not compressed: the length of what is sent must not tell about it.
    text = json.dumps(value, separators=(",", ":")).encode()
    return _cipher(request).encrypt(text).decode("ascii")


def _open(request: HttpRequest, raw: str) -> Any:
    try:
        text = _cipher(request).decrypt(raw.encode("ascii"), ttl=_idle_seconds())
        return json.loads(text)
    except (InvalidToken, UnicodeError, ValueError):
        return None


def _idle_seconds() -> int:
    return int(settings.FINGERPOST_ANONYMOUS_SESSION_IDLE_MINUTES) * 60


def _session_key(event_id: int | str) -> str:
    return f"booking:{event_id}"


def state(request: HttpRequest) -> BookingState:
    """This browser's state, read once per request; empty when the cookie is
    missing, tampered with, someone else's or idle too long."""
    found = getattr(request, "_booking_state", None)
    if found is not None:
        return found  # type: ignore[no-any-return]
    found = BookingState()
    raw = request.COOKIES.get(COOKIE_NAME)
    if raw:
        found.had_cookie = True
        value = _open(request, raw)
        if isinstance(value, dict):
            found.browser_id = str(value.get("b", ""))
            found.answers = dict(value.get("a", {}))
            found.booked = dict(value.get("k", {}))
            found.show_once = list(value.get("s", []))
            found.signed_at = float(value.get("t", 0))
        else:
            found.changed = True  # drop the bad cookie
    request._booking_state = found  # type: ignore[attr-defined]
    return found


def saved_answers(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """The answers given so far for the event (a copy to change and save)."""
    answers = state(request).answers.get(str(event_id))
    if answers is None and settings.SESSION_COOKIE_NAME in request.COOKIES:
        # Too long for the cookie: waiting in the session.
        answers = request.session.get(_session_key(event_id))
    return dict(answers or {})


def save_answers(request: HttpRequest, event_id: int, answers: dict[str, Any]) -> None:
    found = state(request)
    found.answers[str(event_id)] = answers
    found.changed = True
    # Left in the session by an earlier, longer answer: this one replaces it.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        request.session.pop(_session_key(event_id), None)


def clear_answers(request: HttpRequest, event_id: int) -> None:
    found = state(request)
    if found.answers.pop(str(event_id), None) is not None:
        found.changed = True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        request.session.pop(_session_key(event_id), None)


def remember_booking(request: HttpRequest, event_id: int, reference: str) -> None:
    found = state(request)
    found.booked[str(event_id)] = [reference, time.time()]
    found.booked = dict(list(found.booked.items())[-KEEP:])
    found.changed = True


def booked_reference(request: HttpRequest, event_id: int, *, within: float) -> str | None:
    """The reference of the booking this browser made for the event lately."""
    remembered = state(request).booked.get(str(event_id))
    if not remembered:
        return None
    reference, at = remembered
    if time.time() - float(at) > within:
        return None
    return str(reference)


def _digest(token: str) -> str:
    return salted_hmac(f"{SALT}:shown-once", token, algorithm="sha256").hexdigest()[:32]


def show_once(request: HttpRequest, token: str) -> None:
    found = state(request)
    found.show_once = [*found.show_once[-(KEEP - 1) :], _digest(token)]
    found.changed = True


def take_show_once(request: HttpRequest, token: str) -> bool:
    """True once for a booking this browser has just made."""
    found = state(request)
    digest = _digest(token)
    if digest not in found.show_once:
        return False
    found.show_once = [d for d in found.show_once if d != digest]
    found.changed = True
    return True


def _payload(found: BookingState, now: float) -> dict[str, Any]:
    return {
        "b": found.browser_id,
        "a": found.answers,
        "k": found.booked,
        "s": found.show_once,
        "t": now,
    }


def write(request: HttpRequest, response: HttpResponse) -> None:
    """Set, refresh or delete the cookie for what the request left."""
    found = getattr(request, "_booking_state", None)
    if found is None:
        return
    if found.is_empty() and not found.browser_id:
        if found.had_cookie:
            response.delete_cookie(COOKIE_NAME, samesite="Lax")
        return
    now = time.time()
    if not found.changed and now - found.signed_at < REFRESH_SECONDS:
        return
    value = _seal(request, _payload(found, now))
    if len(value) > MAX_VALUE_BYTES and found.answers:
        # Long answers (a question with a long free-text answer) go to the
        # session; the cookie keeps the rest.
        session = request.session
        for event_id, answers in found.answers.items():
            session[_session_key(event_id)] = answers
        found.answers = {}
        value = _seal(request, _payload(found, now))
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=None,  # goes when the browser closes
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def keeps_booking_state(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Write the booking cookie after the view, for whatever it changed."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        write(request, response)
        return response

    return wrapped
