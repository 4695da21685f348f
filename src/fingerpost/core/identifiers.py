"""References people read out over the phone, and secrets for private links."""

import secrets

# No 0/O or 1/I: references are read out over the phone.
READABLE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def readable_reference(length: int, prefix: str = "") -> str:
    return prefix + "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))


def private_link_token() -> str:
    return secrets.token_urlsafe(24)
