"""Everything works with JavaScript switched off (GOV.UK progressive enhancement)."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role

from .pages import LOGIN_PATH, expected_nav, nav_texts, sign_in, sign_out, submit, visit


@pytest.fixture
def no_js_page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(java_script_enabled=False).new_page()


def test_home_page_without_javascript(no_js_page: Page) -> None:
    page = no_js_page
    visit(page, "/")
    assert page.locator("main").get_by_role("button", name="Get digital help").is_visible()
    nav = page.locator("#navigation")
    assert nav.get_by_role("link", name="Get digital help").is_visible()
    assert nav.get_by_role("link", name="Events", exact=True).is_visible()
    # No script ran: the GOV.UK menu button stays hidden and the links show.
    assert "govuk-frontend-supported" not in (page.locator("body").get_attribute("class") or "")


def test_every_role_signs_in_and_reaches_its_work_without_javascript(
    no_js_page: Page, user_with_role: Callable[[str], User]
) -> None:
    page = no_js_page
    roles = list(Role)
    for role in roles:
        user = user_with_role(role)
        sign_in(page, user)
        assert page.url.endswith("/dashboard/"), f"{role} landed on {page.url}"
        assert page.locator("h1").inner_text() == "Your work"
        assert nav_texts(page) == expected_nav(user), f"{role} has the wrong menu"
        for link in page.locator("#navigation a").all():
            assert link.is_visible(), f"{link.inner_text()} is hidden without JavaScript"
        if role == roles[-1]:
            sign_out(page)  # signing out is a form too, so it works without JavaScript
        else:
            page.context.clear_cookies()  # quicker, for the next role


def test_error_summary_without_javascript(no_js_page: Page) -> None:
    page = no_js_page
    visit(page, LOGIN_PATH)
    submit(page, "main form:has(input[name=login])")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    hrefs = summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert set(hrefs) >= {"#id_login", "#id_password"}
    # Following a link still reaches the field, by the browser's own fragment navigation.
    summary.locator("a").first.click()
    assert page.url.endswith(hrefs[0])
