"""axe-core (WCAG 2.2 AA and best practice) finds nothing on any page each kind of
person can reach, including forms showing errors and the smallest phones."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from tests.factories import EventFactory, UserFactory

from .axe import assert_no_axe_violations, assert_no_problems, audit, format_violations, run_axe
from .data import SiteData
from .pages import (
    LOGIN_PATH,
    NAV_PREFIX_EXCLUDED,
    expected_nav,
    pages_in_nav,
    sign_in,
    submit,
    visible_nav,
    visit,
)

# (path, expected status); {organisation} and {event} are filled in from site_data.
ANONYMOUS_PAGES = [
    ("/", 200),
    ("/get-help/", 200),
    ("/events/", 200),
    ("/events/{event}/", 200),
    ("/events/{event}/book/", 200),
    ("/organisations/", 200),
    ("/organisations/{organisation}/", 200),
    ("/accessibility/", 200),
    ("/privacy/", 200),
    ("/cookies/", 200),
    (LOGIN_PATH, 200),
    ("/accounts/signup/", 200),
    ("/accounts/password/reset/", 200),
    ("/no-such-page/", 404),
]
# Reached from the dashboard and the account pages rather than the menu.
SIGNED_IN_PAGES = [
    "/dashboard/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/organisations/{organisation}/",
]


def _fill(path: str, site: SiteData) -> str:
    return path.format(organisation=site.organisation.slug, event=site.event.pk)


def test_anonymous_pages_have_no_axe_violations(page: Page, site_data: SiteData) -> None:
    # Every page is checked before the test fails, so one run lists every problem.
    assert_no_problems(
        [
            audit(page, _fill(path, site_data), "anonymous", status)
            for path, status in ANONYMOUS_PAGES
        ]
    )


@pytest.mark.parametrize("role", list(Role))
def test_every_page_a_role_can_reach_has_no_axe_violations(
    page: Page, site_data: SiteData, user_with_role: Callable[[str], User], role: str
) -> None:
    user = user_with_role(role)
    EventFactory(organiser=user, title="An event this person organises")
    sign_in(page, user)  # lands on /dashboard/ ("Your work")
    assert page.url.endswith("/dashboard/")
    assert visible_nav(page) == expected_nav(user), "the menu is not this role's"
    reports = [format_violations(run_axe(page), f"/dashboard/ as {role}")]

    # The menu's pages, the dashboard's links and the account pages, each once.
    dashboard_links = page.locator("main a.govuk-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    paths = [_fill(path, site_data) for path in SIGNED_IN_PAGES]
    paths += pages_in_nav(page)
    paths += [href for href in dashboard_links if href.startswith("/")]
    paths = [
        path
        for path in dict.fromkeys(paths)
        if path != "/dashboard/" and not path.startswith(NAV_PREFIX_EXCLUDED)
    ]
    assert "/events/" in paths and "/accounts/2fa/" in paths

    reports += [audit(page, path, role) for path in paths]
    assert_no_problems(reports)


def test_forms_showing_errors_have_no_axe_violations(page: Page) -> None:
    reports = []

    visit(page, LOGIN_PATH)
    submit(page, "main form:has(input[name=login])")
    assert page.locator(".govuk-error-summary").is_visible()
    reports.append(format_violations(run_axe(page), "the sign-in form submitted empty"))

    visit(page, "/accounts/signup/")
    form = "main form:has(input[name=password1])"
    page.locator(f"{form} input[name=email]").fill("not-an-email")
    page.locator(f"{form} input[name=password1]").fill("short")
    page.locator(f"{form} input[name=password2]").fill("different")
    submit(page, form)
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator(".govuk-error-message").count() >= 2
    reports.append(format_violations(run_axe(page), "the sign-up form with bad input"))

    assert_no_problems(reports)


def test_account_locked_page_has_no_axe_violations(page: Page, transactional_db: None) -> None:
    user = UserFactory()
    form = "main form:has(input[name=login])"
    visit(page, LOGIN_PATH)
    for _ in range(10):
        # A wrong password shows the form again, with the error.
        page.locator(f"{form} input[name=login]").fill(user.email)
        page.locator(f"{form} input[name=password]").fill("wrong-password")
        with page.expect_navigation() as navigation:
            page.locator(f"{form} button[type=submit]").first.click()
        if navigation.value and navigation.value.status == 429:
            break
    else:
        pytest.fail("ten wrong passwords did not lock the account")
    assert "locked" in page.locator("h1").inner_text()
    assert_no_axe_violations(page, "the account-locked page")


def test_small_phone_has_no_sideways_scroll_and_no_axe_violations(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    reports = []
    for path in ["/", LOGIN_PATH]:
        visit(page, path)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > 320:
            reports.append(f"{path} scrolls sideways at 320px wide ({scroll_width}px)")
        reports.append(format_violations(run_axe(page), f"{path} at 320x640"))
    assert_no_problems(reports)
