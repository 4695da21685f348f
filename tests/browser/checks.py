"""Checks beyond axe for a page in a given state: no sideways scrolling on a
small phone, an error summary that works from the keyboard, form controls
each with their own label, and reaching things with the Tab key. Each check
returns "" when all is well, else what is wrong (for assert_no_problems), so
one run lists every problem."""

from playwright.sync_api import Locator, Page

# The narrowest screen WCAG 1.4.10 (reflow) asks for: 320 CSS pixels.
SMALL_PHONE = {"width": 320, "height": 640}
# More Tab presses than any page of the site needs to reach what it offers.
MAX_TABS = 120


def sideways_scroll(page: Page, where: str) -> str:
    """A page at the viewport's width must not scroll sideways (WCAG 1.4.10)."""
    width, scroll_width = page.evaluate(
        "() => [window.innerWidth, document.documentElement.scrollWidth]"
    )
    if scroll_width > width:
        return f"{where} scrolls sideways at {width}px wide (the page is {scroll_width}px)"
    return ""


def error_summary_problems(page: Page, where: str, title: bool = True) -> str:
    """The GOV.UK error summary as it should work: one, with focus (JavaScript
    moves it there), the page's title saying "Error: " (unless `title` is
    False, for a page whose title is checked elsewhere), and each link taking
    focus to a visible form control that is the only element with its id."""
    summary = page.locator(".govuk-error-summary")
    if summary.count() != 1 or not summary.is_visible():
        return f"{where}: expected one visible error summary, found {summary.count()}"
    problems = []
    if title and not page.title().startswith("Error: "):
        problems.append(f"the page title {page.title()!r} does not start with 'Error: '")
    if not page.evaluate(
        "() => !!document.activeElement?.closest('.govuk-error-summary')"
    ) and page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')"):
        problems.append("focus is not on the error summary")
    links = summary.locator(".govuk-error-summary__list a")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for index, href in enumerate(hrefs):
        target = page.locator(f"[id='{(href or '#')[1:]}']")
        count = target.count()
        if not (href or "").startswith("#") or count != 1:
            problems.append(f"link {href!r} should point at one element; {count} have that id")
            continue
        kind = target.evaluate(
            "el => ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) ? el.type : ''"
        )
        if not kind or kind == "hidden" or not target.is_visible():
            problems.append(f"link {href!r} points at {kind or 'no'} form control, not a field")
            continue
        links.nth(index).click()
        if not target.evaluate("el => el === document.activeElement"):
            problems.append(f"following link {href!r} did not move focus to the field")
    if problems:
        return f"{where}: the error summary is not right:\n  " + "\n  ".join(problems)
    return ""


def label_problems(page: Page, where: str) -> str:
    """Every id on the page is unique, and every visible form control has a
    label the browser ties to it (a label whose `for` names a duplicated id
    labels only the first element with that id, so the others have no name)."""
    found = page.evaluate(
        """() => {
            const counts = {};
            for (const el of document.querySelectorAll('[id]')) {
                counts[el.id] = (counts[el.id] || 0) + 1;
            }
            const duplicated = Object.entries(counts).filter(([, n]) => n > 1)
                .map(([id, n]) => `id="${id}" is used ${n} times`);
            const controls = document.querySelectorAll('main input, main select, main textarea');
            const unlabelled = [...controls]
                .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
                .filter(el => !el.labels?.length && !el.getAttribute('aria-label')
                    && !el.getAttribute('aria-labelledby'))
                .map(el => `<${el.tagName.toLowerCase()} name="${el.name}" id="${el.id}"> `
                    + 'has no label of its own');
            return [...duplicated, ...unlabelled];
        }"""
    )
    if found:
        return f"{where}:\n  " + "\n  ".join(found)
    return ""


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("el => el === document.activeElement"))


def tab_to(page: Page, target: Locator, limit: int = MAX_TABS) -> None:
    """Press Tab until `target` has focus, as a keyboard user would; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if is_focused(target):
            return
    focused = page.evaluate("() => document.activeElement?.outerHTML.slice(0, 200)")
    raise AssertionError(f"{limit} presses of Tab did not reach {target}; focus is on {focused}")
