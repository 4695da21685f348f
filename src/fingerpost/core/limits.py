"""Limits on public submissions, in the cache every worker shares.

Bookings (web and API), requests for help, referrals and sign-ups are
limited per client address and per email address they name, so one address
cannot empty an event, and nobody can fill someone else's inbox. The counts
live in the default cache: the database cache unless CACHE_URL names
another (Redis), so every gunicorn worker counts the same attempts.

Each allowed attempt claims one numbered slot of its window with the
cache's `add`, which is atomic on the database cache (a unique insert) and
on Redis (SET NX); `incr` is not atomic on the database cache, so it is not
used. Over the limit, `RateLimited` says when to try again (429 with
Retry-After in the API, the "Too many attempts" page on the web), before
anything is saved or sent.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import time_format

from .errors import RateLimited


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def client_address(request: HttpRequest) -> str:
    """The caller's address: the one the last trusted proxy saw, else REMOTE_ADDR."""
    address = ""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-proxies] if len(hops) >= proxies else hops[0]
    address = address or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "unknown"


def limits_for(action: str) -> dict[str, Limit]:
    """The limits of an action, by what is counted ("address", "email")."""
    configured = settings.FINGERPOST_LIMITS.get(action, {})
    return {what: Limit(*value) for what, value in configured.items()}


def _take_slot(key: str, limit: Limit, now: float) -> int | None:
    """Claim a slot of this window; None when none is left, else the seconds
    the window has to run."""
    window = int(now // limit.seconds)
    ends = (window + 1) * limit.seconds
    base = f"fp-limit:{key}:{window}"
    # A hint of how many slots are taken, so a busy window costs a few queries.
    start = min(int(cache.get(f"{base}:n") or 0), limit.count)
    timeout = int(ends - now) + 60
    for slot in range(start, limit.count):
        if cache.add(f"{base}:{slot}", 1, timeout=timeout):
            cache.set(f"{base}:n", slot + 1, timeout=timeout)
            return int(ends - now)
    return None


def _hashed(value: str) -> str:
    # Email addresses are not kept in the cache as they are.
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def check(request: HttpRequest, action: str, *, email: str = "") -> None:
    """Count one attempt at `action` from this client (and for `email`, when
    given); raise RateLimited, counting nothing more, when one is over its limit."""
    if not settings.FINGERPOST_LIMITS_ENABLED:
        return
    now = time.time()
    subjects = {"address": client_address(request)}
    if email.strip():
        subjects["email"] = _hashed(email)
    for what, limit in limits_for(action).items():
        if what not in subjects:
            continue
        if _take_slot(f"{action}:{what}:{subjects[what]}", limit, now) is None:
            window_ends = (int(now // limit.seconds) + 1) * limit.seconds
            raise too_many(action, what=what, retry_after=max(1, int(window_ends - now)))


WORDS = {
    "bookings": "bookings",
    "help_requests": "requests for help",
    "referrals": "referrals",
}


def too_many(action: str, *, what: str, retry_after: int) -> RateLimited:
    when = timezone.localtime(timezone.now()) + timedelta(seconds=retry_after)
    minutes = max(1, round(retry_after / 60))
    by = "from this connection" if what == "address" else "for this email address"
    message = (
        f"There have been too many {WORDS.get(action, 'attempts')} {by} in a short time, "
        f"so this one was not sent. Try again after {_clock(when)} "
        f"(in about {minutes} minute{'s' if minutes != 1 else ''})."
    )
    return RateLimited(message, retry_after=retry_after)


def _clock(when: datetime) -> str:
    return time_format(when, "g:i a")
