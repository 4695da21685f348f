"""Subject access and erasure find borrowers through the registry; the demo
step makes devices, loans and holds in every state, idempotently."""

import pytest

from fingerpost.core import registry
from fingerpost.core.models import AuditEntry
from fingerpost.lending import demo, services
from fingerpost.lending.models import Borrower, DeviceStatus, HoldStatus, Loan, LoanStatus

from .factories import BorrowerFactory, DeviceFactory

pytestmark = pytest.mark.django_db


def source():
    return next(s for s in registry.personal_data_sources() if s.name == "lending.borrowers")


def test_borrowers_are_found_exported_and_erased(admin_user):
    by_email = BorrowerFactory(email="rita@example.org", phone="")
    by_phone = BorrowerFactory(email="", phone="07700900123")  # as the services store it
    BorrowerFactory(email="someone@example.org")
    loan = services.issue_loan(
        device=DeviceFactory(), borrower=by_phone, by=None, agreement="screen"
    )
    found = source().find(email="RITA@example.org", phone="+44 7700 900123")
    assert {record.key for record in found} == {by_email.reference, by_phone.reference}
    assert any("cannot be erased" in record.summary for record in found)
    exported = source().export(keys=[by_phone.reference], by=admin_user)
    assert exported[0]["loans"][0]["status"] == "On loan"
    assert AuditEntry.objects.filter(subject_reference=by_phone.reference, action="view").exists()
    # The one with a device out stays until it is back.
    assert source().erase(keys=[by_email.reference, by_phone.reference], by=admin_user) == 1
    services.return_loan(loan=loan, by=None, condition="good")
    assert source().erase(keys=[by_phone.reference], by=admin_user) == 1
    assert not Borrower.objects.filter(anonymised_at__isnull=True, email="rita@example.org")
    assert Loan.objects.get(pk=loan.pk).borrower.name == services.ANONYMISED_NAME


def test_demo_data_has_every_state_and_runs_twice():
    from fingerpost.organisations.demo import create_demo_data as organisations

    organisations(scale=1)
    first = demo.create_demo_data(scale=2)
    assert demo.create_demo_data(scale=2) == first
    statuses = set(Loan.objects.values_list("status", flat=True))
    assert statuses == {LoanStatus.ACTIVE, LoanStatus.RETURNED, LoanStatus.LOST}
    from fingerpost.lending.models import Device, Hold

    devices = set(Device.objects.values_list("status", flat=True))
    assert {DeviceStatus.AVAILABLE, DeviceStatus.ON_LOAN, DeviceStatus.HELD} <= devices
    assert {DeviceStatus.AWAITING_CHECK, DeviceStatus.LOST, DeviceStatus.IN_REPAIR} <= devices
    assert set(Hold.objects.values_list("status", flat=True)) == {
        HoldStatus.READY,
        HoldStatus.WAITING,
    }
    single = Device.objects.count()
    assert single > 0 and first["devices"] == single
