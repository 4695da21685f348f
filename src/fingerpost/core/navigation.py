"""The service navigation, which depends on who is signed in. Apps add their
items through the registry (core/registry.py)."""

from dataclasses import dataclass
from functools import cache

from django.http import HttpRequest
from django.urls import reverse

from . import registry
from .registry import Audience


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool = False


@cache
def _href(url_name: str) -> str:
    # URLs do not change while a process runs; reversing on every page costs.
    return reverse(url_name)


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    signed_in = user.is_authenticated
    wanted = {Audience.EVERYONE, Audience.SIGNED_IN if signed_in else Audience.SIGNED_OUT}
    pairs = [
        (entry.text, _href(entry.url_name))
        for entry in registry.nav_items()
        if entry.audience in wanted
        and (entry.permission is None or user.has_perm(entry.permission))
    ]
    if signed_in:
        pairs.append(("Sign out", _href("account_logout")))
    else:
        pairs.append(("Sign in", _href("account_login")))
    # Only the most specific matching link is the current page.
    current = max(
        (href for _, href in pairs if _is_current(request.path, href)), key=len, default=None
    )
    return [NavItem(text, href, current=href == current) for text, href in pairs]


def _is_current(path: str, href: str) -> bool:
    return path == href or (href != "/" and path.startswith(href))
