"""Tokens for the JSON API, with no table of their own.

A token is the user's id and a fingerprint of their password hash, signed
with SECRET_KEY and stamped with the time it was issued. It is good for 90
days; it stops working at once when the account is deactivated or its
password changes (which is how a leaked token is revoked), and every token
stops working if SECRET_KEY is rotated.
"""

from datetime import timedelta
from typing import Any

from django.core import signing
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth
from ninja.utils import check_csrf

from fingerpost.accounts.models import User
from fingerpost.accounts.two_factor import must_set_up_two_factor

TOKEN_SALT = "fingerpost.api-token"  # noqa: S105 - a namespace for the signer, not a secret
TOKEN_MAX_AGE = timedelta(days=90)
# Signed tokens are short; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 200


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=TOKEN_SALT)


def _password_fingerprint(user: User) -> str:
    return salted_hmac(TOKEN_SALT, user.password, algorithm="sha256").hexdigest()[:16]


def issue_api_token(user: User) -> str:
    return _signer().sign(f"{user.pk}.{_password_fingerprint(user)}")


def user_for_api_token(token: str) -> User | None:
    """The active user a valid, unexpired token was issued to; None otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = _signer().unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    user_pk, _, fingerprint = value.partition(".")
    if not user_pk.isdigit():
        return None
    user = User.objects.filter(pk=int(user_pk), is_active=True).first()
    if user is None or not constant_time_compare(fingerprint, _password_fingerprint(user)):
        return None
    # A token is no way round two-factor authentication.
    if must_set_up_two_factor(user):
        return None
    return user


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, as printed by `fingerpost api_token`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return user_for_api_token(token.strip())


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
    """Whose Idempotency-Keys these are: the signed-in person (by token or
    session), else the client's address. Two clients' keys never meet."""
    from .limits import client_address

    caller = api_caller(request)
    if caller is not None:
        return f"user:{caller.pk}"
    return f"address:{client_address(request)}"
