"""Lending staff run a whole cycle in a browser without JavaScript: a help
request becomes a hold, the device comes back and is wiped and checked, is
lent with the agreement, renewed, returned, checked again and lent to the
next borrower (axe needs JavaScript, so the pages are checked with it on in
the second test); every lending page passes axe, for staff and residents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page

from fingerpost.accounts.roles import Role
from fingerpost.helpdesk.models import HelpRequest
from fingerpost.lending import services
from fingerpost.lending.models import Borrower, DeviceKind, Hold, HoldStatus, Loan, LoanStatus
from tests.factories import OrganisationFactory, UserFactory
from tests.lending.factories import BorrowerFactory, BranchFactory, DeviceFactory

from .axe import assert_no_problems, audit, run_axe
from .pages import sign_in, submit, visit


@pytest.fixture
def no_js(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(java_script_enabled=False).new_page()


def _library():
    service = OrganisationFactory(name="Test Libraries", kind="library")
    branch = BranchFactory(name="Weymouth Library", parent=service)
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=service)
    return service, branch, coordinator


def test_a_full_lending_cycle_without_javascript(no_js: Page) -> None:
    page = no_js
    _, branch, coordinator = _library()
    device = DeviceFactory(branch=branch, asset_tag="TAB-0001")
    first = BorrowerFactory(branch=branch)
    out = services.issue_loan(device=device, borrower=first, by=None, agreement="screen")
    request = HelpRequest.objects.create(
        organisation=branch,
        name="Rita Jones",
        email="rita@example.org",
        consent_to_share=True,
        status="triaged",
    )
    sign_in(page, coordinator)

    # The help request: the lending panel offers a device; the referral becomes a hold.
    visit(page, f"/help-requests/{request.reference}/")
    page.get_by_role("link", name="Ask for a device for this resident").click()
    page.get_by_label("Tablet").check()
    page.get_by_label("Collect from").select_option(label="Weymouth Library")
    submit(page)
    borrower = Borrower.objects.get(help_request=request)
    assert "number 1 in the queue" in page.locator("main").inner_text()

    # The device on loan comes back; it waits for its wipe and check.
    visit(page, f"/lending/loans/{out.reference}/")
    page.get_by_label("Good").check()
    submit(page, "form[action$='/return/']")
    assert "Wipe and check" in page.locator("main").inner_text()
    page.get_by_label("The last borrower's data, accounts and files are wiped").check()
    page.get_by_label("It works, is charged and has all its parts").check()
    submit(page, "form[action$='/wipe-check/']")
    assert Hold.objects.get(borrower=borrower).status == HoldStatus.READY

    # Lend it with the agreement signed on paper.
    page.get_by_role("link", name="Lend it to Rita Jones").click()
    page.get_by_label("Signed on paper").check()
    page.get_by_label("Who witnessed the signature (paper only)").fill("Sam Staff")
    submit(page)
    loan = Loan.objects.get(borrower=borrower)
    assert "due back on" in page.locator("main").inner_text()

    # Renew once the window opens, then take it back and check it again.
    Loan.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() + timedelta(days=2))
    page.reload()
    submit(page, "form[action$='/renew/']")
    assert "Renewed" in page.locator("main").inner_text()
    page.get_by_label("Fair: marks or wear").check()
    page.get_by_label("Missing parts (if any)").fill("case")
    submit(page, "form[action$='/return/']")
    page.get_by_label("The last borrower's data, accounts and files are wiped").check()
    page.get_by_label("It works, is charged and has all its parts").check()
    submit(page, "form[action$='/wipe-check/']")

    # The next borrower.
    following = BorrowerFactory(branch=branch, name="Nina Next")
    page.get_by_role("link", name="Lend this device").click()
    page.get_by_label("Borrower's reference").fill(following.reference)
    page.get_by_label("Accepted on screen").check()
    submit(page)
    assert Loan.objects.get(device=device, status=LoanStatus.ACTIVE).borrower == following

    # The loan shows on the help request.
    visit(page, f"/help-requests/{request.reference}/")
    assert "TAB-0001" in page.locator("main").inner_text()


def format_page(page: Page, where: str) -> str:
    from .axe import format_violations

    return format_violations(run_axe(page), where)


def test_every_lending_page_passes_axe(page: Page) -> None:
    _, branch, coordinator = _library()
    device = DeviceFactory(branch=branch)
    borrower = BorrowerFactory(branch=branch, phone="07700 900123")
    loan = services.issue_loan(
        device=DeviceFactory(branch=branch), borrower=borrower, by=None, agreement="screen"
    )
    services.place_hold(borrower=borrower, kind=DeviceKind.LAPTOP, branch=branch, by=None)
    Loan.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    returned = DeviceFactory(branch=branch, kind=DeviceKind.DATA_SIM, sim_allowance_gb=20)
    back = services.issue_loan(
        device=returned, borrower=BorrowerFactory(branch=branch), by=None, agreement="screen"
    )
    services.return_loan(loan=back, by=None, condition="good")
    request = HelpRequest.objects.create(
        organisation=branch, name="Rita Jones", consent_to_share=True, status="triaged"
    )
    Borrower.objects.filter(pk=borrower.pk).update(help_request=request)
    reports = [
        audit(page, "/", "a resident"),
        audit(page, "/borrow-a-device/", "a resident"),
        audit(page, f"/borrow-a-device/your-loans/{borrower.token}/", "a borrower"),
    ]
    sign_in(page, coordinator)
    for path in [
        "/lending/",
        "/lending/devices/",
        "/lending/devices/add/",
        "/lending/devices/import/",
        f"/lending/devices/{device.asset_tag}/",
        f"/lending/devices/{returned.asset_tag}/",
        f"/lending/devices/{device.asset_tag}/edit/",
        f"/lending/devices/{device.asset_tag}/lend/",
        "/lending/loans/",
        "/lending/loans/overdue/",
        f"/lending/loans/{loan.reference}/",
        "/lending/borrowers/",
        "/lending/borrowers/add/",
        f"/lending/borrowers/{borrower.reference}/",
        f"/lending/borrowers/{borrower.reference}/edit/",
        "/lending/holds/",
        "/lending/report/",
        "/dashboard/",
        f"/lending/from-help-request/{request.reference}/",
        f"/help-requests/{request.reference}/",
    ]:
        reports.append(audit(page, path, "a coordinator"))
    # A form shown again with errors.
    visit(page, "/lending/devices/add/")
    submit(page)
    reports.append(format_page(page, "the add-a-device page with errors"))
    visit(page, f"/lending/devices/{device.asset_tag}/lend/")
    page.get_by_label("Signed on paper").check()
    page.get_by_label("Borrower's reference").fill(borrower.reference)
    submit(page)
    reports.append(format_page(page, "the lend page with errors"))
    admin = UserFactory(role=Role.ADMIN)
    page.context.clear_cookies()
    sign_in(page, admin)
    reports.append(audit(page, "/lending/rules/", "the admin"))
    reports.append(audit(page, "/lending/rules/laptop/", "the admin"))
    assert_no_problems(reports)
