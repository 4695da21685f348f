"""Tokens for the JSON API.

A token is a long random string, shown once when it is made; only its hash
is stored (`accounts.ApiToken`), with a name, when it was made and last used.
It lasts 90 days; its owner revokes it on the "API tokens" page, one by one,
and deactivating the account revokes every token it has, for good.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth
from ninja.utils import check_csrf

from fingerpost.accounts.models import ApiToken, User
from fingerpost.accounts.two_factor import must_set_up_two_factor

TOKEN_MAX_AGE = timedelta(days=90)
TOKEN_PREFIX = "fp_"  # noqa: S105 - how our tokens start, not a secret
# Ours are about 46 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 200
# Writing "last used" on every call would make every read a write.
LAST_USED_EVERY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User, *, name: str = "API token") -> str:
    """Make a token for `user` and return it: the only time it is ever seen."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        name=" ".join(name.split())[:100] or "API token",
        token_hash=hash_token(token),
        prefix=token[:10],
        expires_at=timezone.now() + TOKEN_MAX_AGE,
    )
    return token


def revoke_api_token(*, user: User, token_id: int) -> bool:
    """Revoke one of `user`'s own tokens; False when it has no such token."""
    return bool(
        ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def revoke_all_tokens(user: Any) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_for(token: str) -> ApiToken | None:
    """The usable token record for `token` (its account active, two-factor
    set up where the role needs it); None otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=hash_token(token),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )
    if record is None:
        return None
    # A token is no way round two-factor authentication.
    if must_set_up_two_factor(record.user):
        return None
    if record.last_used_at is None or record.last_used_at < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record


def user_for_api_token(token: str) -> User | None:
    """The active user a valid, unexpired, unrevoked token was issued to; None otherwise."""
    record = token_for(token)
    return record.user if record else None


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, as printed by `fingerpost api_token`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        record = token_for(token.strip())
        if record is None:
            return None
        request.api_token_id = record.pk  # type: ignore[attr-defined]  # whose keys (api_client_id)
        return record.user


# Scripts send a token; the browser, already signed in, sends its session
# cookie (ninja checks CSRF for that on unsafe methods).
token_or_session_auth: list[Any] = [ApiTokenAuth(), django_auth]


class Anonymous:
    """`request.auth` of a caller who sent no token and has no session."""

    is_authenticated = False

    def __bool__(self) -> bool:  # ninja takes a truthy answer as "authenticated"
        return True


ANONYMOUS = Anonymous()


def session_or_anonymous(request: HttpRequest) -> User | Anonymous:
    """A signed-in browser (CSRF checked on unsafe methods) or nobody at all."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request):
            raise HttpError(403, "CSRF check Failed")
        return user
    return ANONYMOUS


# For operations anyone may call but a known caller gets more from (booking a
# staff-only event, keeping its own Idempotency-Keys apart from everyone else's).
optional_auth: list[Any] = [ApiTokenAuth(), session_or_anonymous]


def api_caller(request: HttpRequest) -> User | None:
    """The person behind a call under `optional_auth`, or None for an anonymous one."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User) else None


def api_client_id(request: HttpRequest) -> str:
    """Whose Idempotency-Keys these are: the token, else the signed-in person
    (a browser session), else the client's address. Two clients' keys never meet."""
    from .limits import client_address

    token_id = getattr(request, "api_token_id", None)
    if token_id is not None:
        return f"token:{token_id}"
    caller = api_caller(request)
    if caller is not None:
        return f"user:{caller.pk}"
    return f"address:{client_address(request)}"
