"""Run axe-core in a Playwright page and report what it finds readably."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

PROJECT_DIR = Path(__file__).resolve().parents[2]
AXE_JS = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.2 AA as GOV.UK services must meet it, plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Nodes listed per rule in a failure message; the count says how many more.
MAX_NODES_SHOWN = 8

Violation = dict[str, Any]


def run_axe(page: Page) -> list[Violation]:
    """axe-core's violations for the page as it is now (an empty list is a pass).

    Pages from the new_context fixture already have axe-core (an init script);
    any other page gets it through add_script_tag, which needs a context made
    with bypass_csp=True as the site's Content-Security-Policy rightly refuses
    inline scripts.
    """
    if not AXE_JS.exists():
        pytest.fail(
            f"axe-core is missing ({AXE_JS}): run `make assets` (npm ci) to install it",
            pytrace=False,
        )
    if not _styles_loaded_and_axe_present(page):
        try:
            page.add_script_tag(path=str(AXE_JS))
        except PlaywrightError as error:
            pytest.fail(
                f"Could not inject axe-core into {page.url} ({error}); use the "
                "new_context fixture, or make the context with bypass_csp=True",
                pytrace=False,
            )
    result = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],  // passes etc. are not needed: faster
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target, html: n.html, failureSummary: n.failureSummary,
                })),
            }));
        }""",
        AXE_TAGS,
    )
    return list(result)


def format_violations(violations: list[Violation], where: str = "") -> str:
    """One block per rule: id, impact, help, help URL and the offending selectors."""
    if not violations:
        return ""
    lines = [f"{len(violations)} axe violation(s){f' on {where}' if where else ''}:"]
    for violation in violations:
        lines.append(
            f"  [{violation['id']}] ({violation['impact']}) {violation['help']}"
            f"  <{violation['helpUrl'].split('?')[0]}>"
        )
        nodes = violation["nodes"]
        for node in nodes[:MAX_NODES_SHOWN]:
            target = " ".join(_selector(part) for part in node["target"])
            lines.append(f"      target: {target}")
            lines.append(f"        html: {_shorten(node['html'])}")
            summary = (node.get("failureSummary") or "").strip().splitlines()
            if len(summary) > 1:
                lines.append(f"         fix: {_shorten(summary[1].strip())}")
        if len(nodes) > MAX_NODES_SHOWN:
            lines.append(f"      ... and {len(nodes) - MAX_NODES_SHOWN} more element(s)")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, where: str = "") -> None:
    violations = run_axe(page)
    if violations:
        pytest.fail(format_violations(violations, where or page.url), pytrace=False)


def assert_styles_loaded(page: Page) -> None:
    """axe's colour-contrast results mean nothing against unstyled HTML, so check
    that the GOV.UK stylesheet was served and applied before trusting them."""
    _styles_loaded_and_axe_present(page)


def _styles_loaded_and_axe_present(page: Page) -> bool:
    """assert_styles_loaded, also saying whether axe-core is in the page already
    (one round trip to the browser for both)."""
    state = page.evaluate(
        """() => ({
            loaded: [...document.styleSheets].some(sheet => {
                try {
                    return (sheet.href || '').includes('/fingerpost/build/fingerpost.css')
                        && sheet.cssRules.length > 0;
                } catch (e) { return false; }
            }),
            // govuk-frontend gives the template body margin 0 (browsers: 8px).
            margin: getComputedStyle(document.body).marginTop,
            axe: typeof window.axe === 'object',
        })"""
    )
    loaded, margin = state["loaded"], state["margin"]
    if not loaded or margin != "0px":
        pytest.fail(
            f"The stylesheet fingerpost/build/fingerpost.css did not load on {page.url} "
            f"(body margin-top is {margin}); run `make assets` to build it",
            pytrace=False,
        )
    return bool(state["axe"])


def _selector(part: Any) -> str:
    # Targets inside iframes or shadow DOM come as nested lists.
    return " >> ".join(part) if isinstance(part, list) else str(part)


def _shorten(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit(page: Page, path: str, who: str, status: int = 200) -> str:
    """Open path and check it with axe; "" when all is well, else what is wrong.
    Tests that check many pages collect these so one run lists every problem."""
    response = page.goto(path)
    got = response.status if response else None
    if got != status:
        return f"{path} as {who}: answered {got}, expected {status}"
    return format_violations(run_axe(page), f"{path} as {who}")


def assert_no_problems(reports: list[str]) -> None:
    problems = [report for report in reports if report]
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
