"""The service navigation, which depends on who is signed in."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool = False


# (text, url name, the `rules` permission needed to see it; None: everyone signed in)
_STAFF_ITEMS: list[tuple[str, str, str | None]] = [
    ("Your work", "core:dashboard", None),
    ("Help requests", "helpdesk:queue", "helpdesk.triage"),
    ("Your requests", "helpdesk:mine", "helpdesk.work_on_assigned"),
    ("Events", "events:list", None),
    ("Manage events", "events:manage_list", "events.manage_event"),
    ("Organisations", "organisations:list", None),
    ("People", "organisations:people", "organisations.view_people"),
    ("Account", "account_email", None),
    ("Admin", "admin:index", "accounts.use_admin_site"),
]
_PUBLIC_ITEMS: list[tuple[str, str]] = [
    ("Get digital help", "core:get_help"),
    ("Events", "events:list"),
    ("Organisations", "organisations:list"),
]


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if user.is_authenticated:
        pairs = [
            (text, reverse(name))
            for text, name, permission in _STAFF_ITEMS
            if permission is None or user.has_perm(permission)
        ]
        pairs.append(("Sign out", reverse("account_logout")))
    else:
        pairs = [(text, reverse(name)) for text, name in _PUBLIC_ITEMS]
        pairs.append(("Sign in", reverse("account_login")))
    # Only the most specific matching link is the current page.
    current = max(
        (href for _, href in pairs if _is_current(request.path, href)), key=len, default=None
    )
    return [NavItem(text, href, current=href == current) for text, href in pairs]


def _is_current(path: str, href: str) -> bool:
    return path == href or (href != "/" and path.startswith(href))
