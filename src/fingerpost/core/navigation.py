"""The service navigation, which depends on who is signed in."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from fingerpost.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool = False


# (text, url name, roles that see it; None means everyone signed in)
_STAFF_ITEMS: list[tuple[str, str, frozenset[str] | None]] = [
    ("Your work", "core:dashboard", None),
    ("Organisations", "organisations:list", None),
    ("People", "organisations:people", frozenset({Role.ORGANISER, Role.ADMIN})),
    ("Account", "account_email", None),
    ("Admin", "admin:index", frozenset({Role.ADMIN})),
]
_PUBLIC_ITEMS: list[tuple[str, str]] = [
    ("Get digital help", "core:get_help"),
    ("Events", "core:events"),
    ("Organisations", "organisations:list"),
]


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if user.is_authenticated:
        pairs = [
            (text, reverse(name))
            for text, name, roles in _STAFF_ITEMS
            if roles is None or user.role in roles or (user.is_superuser and Role.ADMIN in roles)
        ]
        pairs.append(("Sign out", reverse("account_logout")))
    else:
        pairs = [(text, reverse(name)) for text, name in _PUBLIC_ITEMS]
        pairs.append(("Sign in", reverse("account_login")))
    return [NavItem(text, href, current=_is_current(request.path, href)) for text, href in pairs]


def _is_current(path: str, href: str) -> bool:
    return path == href or (href != "/" and path.startswith(href))
