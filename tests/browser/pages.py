"""Helpers to drive the site as a person would: open pages, sign in, read the menu."""

from django.test import RequestFactory
from playwright.sync_api import Page, Response

from fingerpost.accounts.models import User
from fingerpost.core.navigation import navigation_for
from tests.factories import PASSWORD

LOGIN_PATH = "/accounts/login/"
# Not our design (Django's own admin) or not a page (signing out is a form).
NAV_TEXT_EXCLUDED = {"Sign out"}
NAV_PREFIX_EXCLUDED = ("/admin/",)


def visit(page: Page, path: str, status: int = 200) -> Response:
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"{path} answered {response.status}, expected {status}"
    return response


def submit(page: Page, form_selector: str = "main form") -> None:
    """Press the form's first submit button and wait for the page it leads to
    (works with JavaScript off too: it is an ordinary form submission)."""
    form = page.locator(form_selector).first
    with page.expect_navigation():
        form.locator("button[type=submit], button:not([type]), input[type=submit]").first.click()


def sign_in(page: Page, user: User, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in form, then check we were let in."""
    visit(page, LOGIN_PATH)
    form = "main form:has(input[name=login])"
    page.locator(f"{form} input[name=login]").fill(user.email)
    page.locator(f"{form} input[name=password]").fill(password)
    submit(page, form)
    assert not page.url.split("?")[0].endswith(LOGIN_PATH), (
        f"signing in as {user.email} did not leave the sign-in page: "
        + page.locator("main").inner_text()[:500]
    )


def sign_out(page: Page) -> None:
    """Sign out the way a person does: the menu's Sign out, then its confirm button."""
    page.locator("#navigation").get_by_role("link", name="Sign out").click()
    page.wait_for_url("**/accounts/logout/")
    submit(page, "main form")
    assert "Sign in" in nav_texts(page), "still signed in after signing out"


def nav_links(page: Page) -> list[tuple[str, str]]:
    """The service navigation's links as (text, path), in order."""
    links = page.locator("#navigation a.govuk-service-navigation__link").evaluate_all(
        "links => links.map(a => [a.textContent.trim(), a.getAttribute('href')])"
    )
    return [(text, href) for text, href in links]


def visible_nav(page: Page) -> list[str]:
    """The menu links a sighted person can see, in order."""
    return [
        link.inner_text().strip()
        for link in page.locator("#navigation a.govuk-service-navigation__link").all()
        if link.is_visible()
    ]


def nav_texts(page: Page) -> list[str]:
    return [text for text, _ in nav_links(page)]


def pages_in_nav(page: Page) -> list[str]:
    """The nav's paths worth checking: not Sign out, not the Django admin."""
    return [
        href
        for text, href in nav_links(page)
        if text not in NAV_TEXT_EXCLUDED and not href.startswith(NAV_PREFIX_EXCLUDED)
    ]


def expected_nav(user: User, path: str = "/dashboard/") -> list[str]:
    """What the server means this person to see in the menu on that page (the
    permission rules themselves are unit-tested; here the browser must show it)."""
    request = RequestFactory().get(path)
    request.user = user
    return [item.text for item in navigation_for(request)]
