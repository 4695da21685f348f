"""The trust pages in a real browser, with axe: an unverified account's
"Your work", asking to join, the staff-only refusal, approvals, API tokens
(a new one shown once), and a booking's done page shown once."""

from playwright.sync_api import Page

from fingerpost.accounts.roles import Role
from fingerpost.organisations import services as organisations
from tests.factories import EventFactory, OrganisationFactory, UserFactory

from .axe import assert_no_problems, audit, format_violations, run_axe
from .pages import sign_in, submit, visit


def test_an_unverified_account_is_told_what_happens_next(page: Page, transactional_db) -> None:
    OrganisationFactory(name="County Libraries", kind="library")
    staff_event = EventFactory(audience="staff", title="Staff networking")
    user = UserFactory(role="")
    sign_in(page, user)
    assert "Join your organisation" in page.locator("main").inner_text()
    reports = [format_violations(run_axe(page), "/dashboard/ unverified")]
    reports.append(audit(page, f"/events/{staff_event.pk}/book/", "unverified", 403))
    visit(page, "/organisations/join/")
    form = "main form:has(select[name=organisation])"
    submit(page, form)  # nothing chosen: the errors
    assert page.locator(".govuk-error-summary").is_visible()
    reports.append(format_violations(run_axe(page), "join, with errors"))
    page.locator(f"{form} select[name=organisation]").select_option(label="County Libraries")
    page.locator(f"{form} input[name=job_title]").fill("Library assistant")
    submit(page, form)
    assert "Waiting for approval" in page.locator("main").inner_text()
    reports.append(format_violations(run_axe(page), "join, waiting"))
    assert_no_problems(reports)


def test_approvals_and_tokens_pages(page: Page, transactional_db) -> None:
    library = OrganisationFactory(name="County Libraries", kind="library")
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    newcomer = UserFactory(role="", full_name="Nina Newcomer")
    organisations.request_membership(user=newcomer, organisation=library, by=newcomer)
    sign_in(page, coordinator)
    reports = [audit(page, "/organisations/approvals/", "coordinator")]
    assert "Nina Newcomer" in page.locator("main").inner_text()
    page.get_by_role("button", name="Approve").first.click()
    page.wait_for_load_state()
    assert "is now a member" in page.locator("main").inner_text()
    visit(page, "/accounts/tokens/")
    form = "main form:has(input[name=name])"
    page.locator(f"{form} input[name=name]").fill("Referrals script")
    submit(page, form)
    token = page.locator("code.fp-token").inner_text()
    assert token.startswith("fp_")
    reports.append(format_violations(run_axe(page), "tokens, a new one"))
    visit(page, "/accounts/tokens/")
    assert token not in page.content()
    reports.append(format_violations(run_axe(page), "tokens, listed"))
    assert_no_problems(reports)
