"""Each role sees its own service navigation in a real browser."""

from collections.abc import Callable

from playwright.sync_api import Page

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role

from .axe import assert_no_axe_violations
from .pages import sign_in, sign_out, visible_nav, visit

ANONYMOUS_NAV = ["Get digital help", "Find help near you", "Events", "Organisations", "Sign in"]


def current_nav(page: Page) -> list[str]:
    """The menu items marked aria-current=page."""
    return [
        link.inner_text().strip() for link in page.locator("#navigation a[aria-current=page]").all()
    ]


def test_role_based_navigation(page: Page, user_with_role: Callable[[str], User]) -> None:
    visit(page, "/")
    assert visible_nav(page) == ANONYMOUS_NAV

    sign_in(page, user_with_role(Role.ORGANISER))
    assert "People" in visible_nav(page)
    assert "Admin" not in visible_nav(page)
    page.locator("#navigation").get_by_role("link", name="People").click()
    page.wait_for_url("**/organisations/people/")
    assert page.locator("h1").is_visible()

    sign_out(page)
    sign_in(page, user_with_role(Role.MEMBER))
    assert "People" not in visible_nav(page)
    assert "Admin" not in visible_nav(page)
    # Not only hidden: the page itself is refused, with an accessible page.
    visit(page, "/organisations/people/", status=403)
    assert_no_axe_violations(page, "the 403 page")

    sign_out(page)
    sign_in(page, user_with_role(Role.ADMIN))
    assert {"Admin", "People"} <= set(visible_nav(page))


def test_the_menu_marks_only_the_page_you_are_on(
    page: Page, user_with_role: Callable[[str], User]
) -> None:
    sign_in(page, user_with_role(Role.ORGANISER))
    assert current_nav(page) == ["Your work"]
    # A page under another item's address must not light up both items.
    visit(page, "/organisations/people/")
    assert current_nav(page) == ["People"], "more than one menu item says it is this page"
