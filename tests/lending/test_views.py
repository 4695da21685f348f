"""Every lending page for every kind of person, and the full cycle through
the pages without JavaScript: referral, hold, device free, issue with the
agreement, renew, return, wipe check, next borrower."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.core.models import AuditEntry
from fingerpost.helpdesk.models import HelpRequest
from fingerpost.lending import services
from fingerpost.lending.models import (
    Borrower,
    DeviceKind,
    DeviceStatus,
    Hold,
    HoldStatus,
    Loan,
    LoanStatus,
)

from ..factories import OrganisationFactory, UserFactory, grant_role
from .factories import BorrowerFactory, BranchFactory, DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    service = OrganisationFactory(name="Test Libraries", kind="library")
    branch = BranchFactory(parent=service)
    device = DeviceFactory(branch=branch)
    borrower = BorrowerFactory(branch=branch)
    loan = services.issue_loan(
        device=DeviceFactory(branch=branch), borrower=borrower, by=None, agreement="screen"
    )
    hold = services.place_hold(
        borrower=BorrowerFactory(branch=branch), kind=DeviceKind.LAPTOP, branch=branch, by=None
    )
    request = HelpRequest.objects.create(
        organisation=branch, name="Rita Jones", consent_to_share=True
    )
    return {
        "service": service,
        "branch": branch,
        "device": device,
        "borrower": borrower,
        "loan": loan,
        "hold": hold,
        "help_request": request,
    }


def staff_urls(lib):
    device, loan, borrower = lib["device"], lib["loan"], lib["borrower"]
    return [
        "/lending/",
        "/lending/devices/",
        "/lending/devices/?status=available&kind=tablet&q=TAB",
        "/lending/devices/add/",
        "/lending/devices/import/",
        f"/lending/devices/{device.asset_tag}/",
        f"/lending/devices/{device.asset_tag}/edit/",
        f"/lending/devices/{device.asset_tag}/lend/",
        "/lending/loans/",
        "/lending/loans/overdue/",
        f"/lending/loans/{loan.reference}/",
        "/lending/borrowers/",
        "/lending/borrowers/?q=a",
        "/lending/borrowers/add/",
        f"/lending/borrowers/{borrower.reference}/",
        f"/lending/borrowers/{borrower.reference}/edit/",
        "/lending/holds/",
        "/lending/report/",
        "/lending/report/?format=csv",
        "/lending/report/?format=xlsx",
    ]


def person(kind, lib):
    """anonymous, unverified, each role (at the library service), admin, two roles."""
    if kind == "anonymous":
        return None
    if kind == "unverified":
        return UserFactory(role="")
    if kind == "two_roles":
        user = UserFactory(role=Role.CHAMPION, role__organisation=lib["service"])
        grant_role(user, Role.COORDINATOR, lib["service"])
        return user
    if kind == "other_coordinator":
        return UserFactory(role=Role.COORDINATOR)
    return UserFactory(role=kind, role__organisation=lib["service"])


STAFF = {Role.COORDINATOR, Role.ADMIN, "two_roles"}
KINDS = ["anonymous", "unverified", *[r for r in Role.values], "two_roles"]


@pytest.mark.parametrize("kind", KINDS)
def test_staff_pages_for_each_person(kind, library, client):
    user = person(kind, library)
    if user:
        client.force_login(user)
    for url in staff_urls(library):
        response = client.get(url)
        if kind == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        elif kind in STAFF:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url


def test_a_coordinator_elsewhere_sees_none_of_these_borrowers_or_devices(library, client):
    client.force_login(person("other_coordinator", library))
    assert library["borrower"].name not in client.get("/lending/borrowers/").content.decode()
    for url in staff_urls(library)[5:8] + staff_urls(library)[10:11] + staff_urls(library)[14:16]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("kind", KINDS)
def test_loan_rules_are_for_the_admin(kind, library, client):
    user = person(kind, library)
    if user:
        client.force_login(user)
    for url in ("/lending/rules/", "/lending/rules/tablet/"):
        status = client.get(url).status_code
        expected = 302 if kind == "anonymous" else 200 if kind == Role.ADMIN else 403
        assert status == expected, url


@pytest.mark.parametrize("kind", [*KINDS, "other_coordinator"])
def test_public_pages_and_the_help_request_panel(kind, library, client):
    user = person(kind, library)
    if user:
        client.force_login(user)
    assert client.get("/borrow-a-device/").status_code == 200
    token = library["borrower"].token
    page = client.get(f"/borrow-a-device/your-loans/{token}/")
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert client.get("/borrow-a-device/your-loans/not-a-token/").status_code == 404


def test_a_champion_sees_the_loan_on_the_request_assigned_to_them(library, client):
    champion = UserFactory(role=Role.CHAMPION, role__organisation=library["service"])
    request = library["help_request"]
    request.assigned_to = champion
    request.status = "assigned"
    request.assignment_accepted_at = timezone.now()  # they took it on
    request.save()
    borrower = Borrower.objects.create(
        name="Rita Jones", branch=library["branch"], help_request=request
    )
    services.issue_loan(device=library["device"], borrower=borrower, by=None, agreement="screen")
    client.force_login(champion)
    page = client.get(f"/help-requests/{request.reference}/").content.decode()
    assert "Device loans" in page and library["device"].asset_tag in page
    assert "/lending/loans/" not in page  # no link into the borrower's records
    assert client.get("/lending/borrowers/").status_code == 403


def test_posts_are_refused_to_people_who_are_not_lending_staff(library, client):
    client.force_login(person(Role.CHAMPION, library))
    loan = library["loan"]
    assert client.post(f"/lending/loans/{loan.reference}/renew/").status_code == 403
    assert (
        client.post(f"/lending/loans/{loan.reference}/return/", {"condition": "good"}).status_code
        == 403
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE


def test_bad_input_gets_a_message_and_changes_nothing(library, client):
    client.force_login(person(Role.COORDINATOR, library))
    device = library["device"]
    response = client.post(
        f"/lending/devices/{device.asset_tag}/lend/",
        {"borrower": library["borrower"].reference, "agreement": "paper", "condition": "good"},
    )
    assert response.status_code == 400
    assert "Enter who witnessed the signature" in response.content.decode()
    response = client.post(
        f"/lending/devices/{device.asset_tag}/lend/",
        {"borrower": "BNOPE", "agreement": "screen", "condition": "good"},
    )
    assert response.status_code == 400
    response = client.post(
        f"/lending/devices/{device.asset_tag}/book/",
        {"booking-starts_on": "31/02/2027", "booking-ends_on": "x", "booking-purpose": ""},
    )
    assert response.status_code == 400
    device.refresh_from_db()
    assert device.status == DeviceStatus.AVAILABLE and not device.bookings.exists()
    response = client.post(
        f"/lending/devices/{device.asset_tag}/wipe-check/",
        {"wipe-wiped": "on", "wipe-condition": "good"},
    )
    assert response.status_code in (400, 409)


def test_the_full_cycle_in_pages_without_javascript(library, client):
    coordinator = person(Role.COORDINATOR, library)
    client.force_login(coordinator)
    branch = library["branch"]
    device = library["device"]
    # Someone has the only free tablet, so the referral joins the queue.
    first = BorrowerFactory(branch=branch)
    taken = services.issue_loan(device=device, borrower=first, by=None, agreement="screen")
    request = library["help_request"]
    response = client.post(
        f"/lending/from-help-request/{request.reference}/",
        {"kind": DeviceKind.TABLET, "branch": branch.pk},
    )
    borrower = Borrower.objects.get(help_request=request)
    assert response.status_code == 302 and response["Location"] == borrower.get_absolute_url()
    hold = Hold.objects.get(borrower=borrower)
    assert hold.status == HoldStatus.WAITING
    # The device comes back, is wiped and checked, and is held for them.
    client.post(f"/lending/loans/{taken.reference}/return/", {"condition": "good"})
    response = client.post(
        f"/lending/devices/{device.asset_tag}/wipe-check/",
        {"wipe-wiped": "on", "wipe-checked": "on", "wipe-condition": "good"},
    )
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.status == HoldStatus.READY and hold.device == device
    # Issue with the agreement signed on paper.
    page = client.get(f"/lending/devices/{device.asset_tag}/lend/").content.decode()
    assert borrower.reference in page
    response = client.post(
        f"/lending/devices/{device.asset_tag}/lend/",
        {
            "borrower": borrower.reference,
            "agreement": "paper",
            "witnessed_by": "Sam Staff",
            "condition": "good",
        },
    )
    loan = Loan.objects.get(borrower=borrower)
    assert response.status_code == 302 and loan.witnessed_by == "Sam Staff"
    # Renew (within the window), return, wipe check.
    Loan.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() + timedelta(days=2))
    client.post(f"/lending/loans/{loan.reference}/renew/")
    loan.refresh_from_db()
    assert loan.renewals == 1
    client.post(
        f"/lending/loans/{loan.reference}/return/", {"condition": "fair", "missing_parts": "case"}
    )
    device.refresh_from_db()
    assert device.status == DeviceStatus.AWAITING_CHECK
    next_one = BorrowerFactory(branch=branch)
    response = client.post(
        f"/lending/devices/{device.asset_tag}/lend/",
        {"borrower": next_one.reference, "agreement": "screen", "condition": "good"},
    )
    assert response.status_code == 409  # not before the wipe check
    client.post(
        f"/lending/devices/{device.asset_tag}/wipe-check/",
        {"wipe-wiped": "on", "wipe-checked": "on", "wipe-condition": "good"},
    )
    response = client.post(
        f"/lending/devices/{device.asset_tag}/lend/",
        {"borrower": next_one.reference, "agreement": "screen", "condition": "good"},
    )
    assert response.status_code == 302
    assert Loan.objects.filter(device=device, status=LoanStatus.ACTIVE).get().borrower == next_one
    # Looking at the borrower was audited.
    assert AuditEntry.objects.filter(subject_reference=borrower.reference, action="view").exists()


def test_overdue_list_and_a_reminder_by_hand(library, client, sms_outbox):
    client.force_login(person(Role.COORDINATOR, library))
    loan = library["loan"]
    Loan.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    page = client.get("/lending/loans/overdue/").content.decode()
    assert loan.reference in page
    response = client.post(f"/lending/loans/{loan.reference}/remind/", {"next": "overdue"})
    assert response.status_code == 302 and response["Location"] == "/lending/loans/overdue/"


def test_the_import_reports_bad_rows_and_imports_nothing(library, client):
    client.force_login(person(Role.COORDINATOR, library))
    from django.core.files.uploadedfile import SimpleUploadedFile

    name = library["branch"].name
    bad = (
        "asset_tag,kind,branch,sim_allowance_gb\n"
        f"NEW-1,tablet,{name},\n"
        f"NEW-2,toaster,{name},\n"
        f"NEW-3,laptop,Nowhere,\n"
        f"NEW-1,tablet,{name},\n"
        f"NEW-4,data sim,{name},lots\n"
    )
    response = client.post(
        "/lending/devices/import/", {"file": SimpleUploadedFile("devices.csv", bad.encode())}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "toaster" in page and "Nowhere" in page and "earlier row" in page and "lots" in page
    assert not library["branch"].devices.filter(asset_tag__startswith="NEW-").exists()
    good = (
        "asset_tag,kind,branch,sim_allowance_gb,sim_expires_on\n"
        f"NEW-1,tablet,{name},,\n"
        f"NEW-2,data sim,{name},20,2027-06-30\n"
    )
    response = client.post(
        "/lending/devices/import/", {"file": SimpleUploadedFile("devices.csv", good.encode())}
    )
    assert response.status_code == 302
    assert library["branch"].devices.filter(asset_tag__startswith="NEW-").count() == 2


def test_the_import_reads_excel(library, client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    client.force_login(person(Role.COORDINATOR, library))
    book = Workbook()
    sheet = book.active
    sheet.append(["asset_tag", "kind", "branch"])
    sheet.append(["XL-1", "Laptop", library["branch"].name])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        "/lending/devices/import/", {"file": SimpleUploadedFile("d.xlsx", buffer.getvalue())}
    )
    assert response.status_code == 302
    assert library["branch"].devices.filter(asset_tag="XL-1", kind="laptop").exists()
    response = client.post(
        "/lending/devices/import/", {"file": SimpleUploadedFile("d.xlsx", b"nope")}
    )
    assert response.status_code == 400


def test_the_admin_changes_a_rule(library, client):
    client.force_login(person(Role.ADMIN, library))
    data = {
        "loan_days": 14,
        "renewals_allowed": 1,
        "renew_within_days": 3,
        "per_borrower": 2,
        "hold_days": 2,
        "referral_required": "on",
    }
    assert client.post("/lending/rules/laptop/", data).status_code == 302
    assert services.rule_for("laptop").referral_required
    assert client.post("/lending/rules/laptop/", {**data, "loan_days": 0}).status_code == 400
    assert client.get("/lending/rules/toaster/").status_code == 404
