"""The site's own CSS and JavaScript load and work under its real
Content-Security-Policy (contexts never bypass it), and the GOV.UK error summary
behaves as designed."""

from collections.abc import Callable

from playwright.sync_api import BrowserContext, ConsoleMessage, Page

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role

from .axe import assert_styles_loaded
from .pages import LOGIN_PATH, sign_in, submit, visit

LOGIN_FORM = "main form:has(input[name=login])"


def _strict_page(new_context: Callable[..., BrowserContext]) -> tuple[Page, list[str]]:
    """A page, and the errors its console and scripts report (CSP refusals included)."""
    page = new_context().new_page()
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return page, errors


def _js_ready(page: Page) -> None:
    # init.mjs adds these classes after govuk-frontend's initAll() has been imported.
    page.wait_for_function("() => document.body.classList.contains('govuk-frontend-supported')")


def test_styles_and_scripts_load_under_the_real_content_security_policy(
    new_context: Callable[..., BrowserContext], user_with_role: Callable[[str], User]
) -> None:
    page, errors = _strict_page(new_context)
    failed: list[str] = []
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    for path in ["/", LOGIN_PATH]:
        visit(page, path)
        assert_styles_loaded(page)
        _js_ready(page)
    sign_in(page, user_with_role(Role.ORGANISER))
    _js_ready(page)
    assert not failed, f"requests failed: {failed}"
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)


def test_error_summary_is_at_the_top_links_to_the_fields_and_takes_focus(
    new_context: Callable[..., BrowserContext],
) -> None:
    page, errors = _strict_page(new_context)
    visit(page, LOGIN_PATH)
    submit(page, LOGIN_FORM)
    _js_ready(page)

    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1
    assert summary.locator(".govuk-error-summary__title").inner_text() == "There is a problem"

    # At the top: before the page's heading and the form, in reading order and on screen.
    assert page.evaluate(
        """() => {
            const summary = document.querySelector('.govuk-error-summary');
            const column = summary.parentElement;
            const first = [...column.children].find(el => el.offsetParent !== null);
            const heading = document.querySelector('main h1');
            const follows = (a, b) => !!(a.compareDocumentPosition(b)
                & Node.DOCUMENT_POSITION_FOLLOWING);
            return first === summary && follows(summary, heading)
                && summary.getBoundingClientRect().top < heading.getBoundingClientRect().top;
        }"""
    ), "the error summary is not the first thing in the main column, above the heading"

    # Every link goes to a field on this page that shows its own error.
    links = summary.locator(".govuk-error-summary__list a")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs, "the error summary has no links to the fields"
    for href in hrefs:
        assert href.startswith("#"), f"error summary link {href!r} is not to a field on the page"
        field = page.locator(f"[id='{href[1:]}']")
        assert field.count() == 1, f"error summary link {href} points at nothing"
        assert field.evaluate("el => ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)")
        described_by = field.get_attribute("aria-describedby") or ""
        assert f"{href[1:]}_error" in described_by.split(), (
            f"{href} has no inline error message tied to it by aria-describedby"
        )
    assert set(hrefs) >= {"#id_login", "#id_password"}

    # With JavaScript, the summary takes focus so screen readers announce it ...
    assert page.evaluate(
        "() => !!document.activeElement && !!document.activeElement.closest('.govuk-error-summary')"
    ), "focus is not in the error summary"
    # ... and its links move focus to the field.
    links.first.click()
    assert page.evaluate("() => document.activeElement.id") == hrefs[0][1:]
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)
