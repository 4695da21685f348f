"""Inventory, loan, borrower and hold lists make the same number of queries
with a few rows or many; the main writes make exactly the queries pinned."""

import pytest
from django.test import Client

from fingerpost.accounts.roles import Role
from fingerpost.lending import services
from fingerpost.lending.models import Borrower, Device, DeviceKind, Hold, Loan

from ..factories import OrganisationFactory, UserFactory
from ..querycount import assert_flat_query_count, assert_query_count, count_queries
from .factories import BorrowerFactory, BranchFactory, DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    service = OrganisationFactory(name="Test Libraries", kind="library")
    branches = [BranchFactory(parent=service) for _ in range(2)]
    client = Client()
    client.force_login(UserFactory(role=Role.COORDINATOR, role__organisation=service))
    return service, branches, client


def more_of_everything(branches, n):
    """n more devices, borrowers, loans and holds per branch, in bulk."""
    start = Device.objects.count()
    for b, branch in enumerate(branches):
        devices = Device.objects.bulk_create(
            Device(asset_tag=f"BULK-{b}-{start + i}", kind=DeviceKind.TABLET, branch=branch)
            for i in range(n)
        )
        people = Borrower.objects.bulk_create(
            Borrower(
                reference=f"BX{b}{start + i:07d}",
                token=f"t{b}-{start + i}",
                name=f"P {i}",
                branch=branch,
            )
            for i in range(n)
        )
        from django.utils import timezone

        Loan.objects.bulk_create(
            Loan(
                reference=f"LX{b}{start + i:07d}",
                device=device,
                borrower=person,
                due_on=timezone.localdate(),
                agreement="screen",
                condition_out="good",
            )
            for i, (device, person) in enumerate(zip(devices[::2], people, strict=False))
        )
        Device.objects.filter(pk__in=[d.pk for d in devices[::2]]).update(status="on_loan")
        Hold.objects.bulk_create(
            Hold(borrower=person, kind=DeviceKind.LAPTOP, branch=branch) for person in people
        )


@pytest.mark.parametrize(
    "url",
    [
        "/lending/",
        "/lending/devices/",
        "/lending/devices/?status=on_loan",
        "/lending/loans/",
        "/lending/loans/overdue/",
        "/lending/borrowers/",
        "/lending/holds/",
        "/lending/report/",
        "/borrow-a-device/",
    ],
)
def test_lists_are_flat(setting, url):
    _, branches, client = setting
    more_of_everything(branches, 5)
    assert_flat_query_count(client, url, lambda: more_of_everything(branches, 120))


def test_pages_of_one_thing_are_flat(setting):
    _, branches, client = setting
    device = DeviceFactory(branch=branches[0])
    borrower = BorrowerFactory(branch=branches[0])
    for _ in range(3):
        loan = services.issue_loan(device=device, borrower=borrower, by=None, agreement="screen")
        services.return_loan(loan=loan, by=None, condition="good")
        services.confirm_wipe_check(
            device=device, by=None, wiped=True, checked=True, condition="good"
        )

    def more_history():
        for _ in range(5):
            loan = services.issue_loan(
                device=device, borrower=borrower, by=None, agreement="screen"
            )
            services.return_loan(loan=loan, by=None, condition="good")
            services.confirm_wipe_check(
                device=device, by=None, wiped=True, checked=True, condition="good"
            )

    assert_flat_query_count(client, f"/lending/devices/{device.asset_tag}/", more_history)
    assert_flat_query_count(client, f"/lending/borrowers/{borrower.reference}/", more_history)


def test_the_main_writes_make_a_fixed_number_of_queries(setting):
    _, branches, _ = setting
    branch = branches[0]
    device = DeviceFactory(branch=branch)
    borrower = BorrowerFactory(branch=branch)
    with assert_query_count(18):
        loan = services.issue_loan(device=device, borrower=borrower, by=None, agreement="screen")
    with assert_query_count(8):
        services.return_loan(loan=loan, by=None, condition="good")
    with assert_query_count(6):
        services.confirm_wipe_check(
            device=device, by=None, wiped=True, checked=True, condition="good"
        )
    with assert_query_count(11):
        services.place_hold(borrower=borrower, kind=DeviceKind.LAPTOP, branch=branch, by=None)


def test_the_inventory_and_loans_stay_flat_at_100000_devices(setting):
    _, branches, client = setting
    urls = ["/lending/devices/", "/lending/devices/?status=on_loan", "/lending/loans/"]
    more_of_everything(branches, 5)
    few = {url: count_queries(client, url) for url in urls}
    more_of_everything(branches, 50_000)
    assert Device.objects.count() > 100_000
    assert {url: count_queries(client, url) for url in urls} == few
