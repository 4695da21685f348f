"""The lending rules: eligibility, the holds queue and its expiry, issue,
renewal, return and the wipe check nothing skips, bookings, notices once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from fingerpost.core.errors import Conflict, Invalid
from fingerpost.core.models import AuditEntry, OutboxMessage
from fingerpost.lending import services
from fingerpost.lending.models import (
    Condition,
    DeviceKind,
    DeviceStatus,
    HoldStatus,
    LoanRule,
    LoanStatus,
)

from .factories import BorrowerFactory, BranchFactory, DeviceFactory

# Notices leave after commit, so these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


def issue(device, borrower, **kwargs):
    return services.issue_loan(
        device=device, borrower=borrower, by=None, agreement="screen", **kwargs
    )


def test_issue_records_the_loan_and_tells_the_borrower():
    device = DeviceFactory()
    borrower = BorrowerFactory(branch=device.branch)
    loan = issue(device, borrower)
    device.refresh_from_db()
    assert device.status == DeviceStatus.ON_LOAN
    assert loan.due_on == timezone.localdate() + timedelta(days=28)
    assert loan.condition_out == Condition.GOOD
    assert len(mail.outbox) == 1
    assert "due back" in mail.outbox[0].subject
    assert device.history.filter(what="lent").exists()
    assert AuditEntry.objects.filter(subject_reference=borrower.reference).exists()


def test_a_paper_agreement_needs_a_witness():
    device = DeviceFactory()
    with pytest.raises(Invalid) as refused:
        services.issue_loan(device=device, borrower=BorrowerFactory(), by=None, agreement="paper")
    assert refused.value.field == "witnessed_by"
    device.refresh_from_db()
    assert device.status == DeviceStatus.AVAILABLE


def test_a_device_on_loan_cannot_be_lent_again():
    device = DeviceFactory()
    issue(device, BorrowerFactory())
    with pytest.raises(Conflict):
        issue(device, BorrowerFactory())


def test_limit_per_borrower_and_referral_rule():
    branch = BranchFactory()
    borrower = BorrowerFactory(branch=branch)
    issue(DeviceFactory(branch=branch), borrower)
    with pytest.raises(Conflict, match="limit is 1"):
        issue(DeviceFactory(branch=branch), borrower)
    LoanRule.objects.create(kind=DeviceKind.LAPTOP, referral_required=True)
    laptop = DeviceFactory(branch=branch, kind=DeviceKind.LAPTOP)
    with pytest.raises(Invalid, match="referral"):
        issue(laptop, borrower)
    borrower.referral = "Weymouth job centre"
    borrower.save()
    issue(laptop, borrower)


def test_return_then_wipe_check_before_the_next_loan():
    device = DeviceFactory()
    loan = issue(device, BorrowerFactory())
    services.return_loan(loan=loan, by=None, condition=Condition.FAIR, missing_parts="charger")
    device.refresh_from_db()
    loan.refresh_from_db()
    assert device.status == DeviceStatus.AWAITING_CHECK
    assert loan.status == LoanStatus.RETURNED and loan.missing_parts == "charger"
    with pytest.raises(Conflict, match="wiped and checked"):
        issue(device, BorrowerFactory())
    with pytest.raises(Invalid):
        services.confirm_wipe_check(
            device=device, by=None, wiped=True, checked=False, condition=Condition.GOOD
        )
    services.confirm_wipe_check(
        device=device, by=None, wiped=True, checked=True, condition=Condition.GOOD
    )
    device.refresh_from_db()
    assert device.status == DeviceStatus.AVAILABLE
    issue(device, BorrowerFactory())


def test_a_damaged_device_goes_to_repair_after_the_check():
    device = DeviceFactory(status=DeviceStatus.AWAITING_CHECK)
    services.confirm_wipe_check(
        device=device, by=None, wiped=True, checked=True, condition=Condition.DAMAGED
    )
    device.refresh_from_db()
    assert device.status == DeviceStatus.IN_REPAIR
    services.back_in_service(device=device, by=None)
    device.refresh_from_db()
    assert device.status == DeviceStatus.AWAITING_CHECK


def test_queue_is_first_come_first_served_and_holds_expire_to_the_next():
    branch = BranchFactory()
    device = DeviceFactory(branch=branch)
    first_loan = issue(device, BorrowerFactory(branch=branch))
    first, second = BorrowerFactory(branch=branch), BorrowerFactory(branch=branch)
    hold1 = services.place_hold(borrower=first, kind=DeviceKind.TABLET, branch=branch, by=None)
    hold2 = services.place_hold(borrower=second, kind=DeviceKind.TABLET, branch=branch, by=None)
    assert hold1.status == hold2.status == HoldStatus.WAITING
    services.return_loan(loan=first_loan, by=None, condition=Condition.GOOD)
    hold1.refresh_from_db()
    assert hold1.status == HoldStatus.WAITING  # not until the wipe check
    mail.outbox.clear()
    services.confirm_wipe_check(
        device=device, by=None, wiped=True, checked=True, condition=Condition.GOOD
    )
    hold1.refresh_from_db()
    device.refresh_from_db()
    assert hold1.status == HoldStatus.READY and hold1.device == device
    assert device.status == DeviceStatus.HELD
    assert [m.to for m in mail.outbox] == [[first.email]]
    with pytest.raises(Conflict, match="held for someone else"):
        issue(device, second)
    # Not collected in time: the next person is told.
    mail.outbox.clear()
    later = timezone.now() + timedelta(days=4)
    assert services.expire_holds(now=later) == 1
    assert services.expire_holds(now=later) == 0
    hold1.refresh_from_db()
    hold2.refresh_from_db()
    assert hold1.status == HoldStatus.EXPIRED
    assert hold2.status == HoldStatus.READY
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    loan = issue(device, second)
    hold2.refresh_from_db()
    assert hold2.status == HoldStatus.COLLECTED and hold2.loan == loan


def test_a_hold_when_a_device_is_free_is_ready_at_once():
    device = DeviceFactory()
    hold = services.place_hold(
        borrower=BorrowerFactory(), kind=DeviceKind.TABLET, branch=device.branch, by=None
    )
    assert hold.status == HoldStatus.READY and hold.device == device
    with pytest.raises(Conflict):
        services.place_hold(
            borrower=hold.borrower, kind=DeviceKind.TABLET, branch=device.branch, by=None
        )


def test_someone_waiting_blocks_renewal_and_queue_jumping():
    branch = BranchFactory()
    device = DeviceFactory(branch=branch)
    loan = issue(device, BorrowerFactory(branch=branch))
    with pytest.raises(Conflict, match="can be renewed from"):
        services.renew_loan(loan=loan, by=None)
    loan.due_on = timezone.localdate() + timedelta(days=2)
    loan.save()
    services.renew_loan(loan=loan, by=None)
    loan.refresh_from_db()
    assert loan.renewals == 1
    assert loan.due_on == timezone.localdate() + timedelta(days=30)
    loan.due_on = timezone.localdate()
    loan.save()
    services.place_hold(borrower=BorrowerFactory(), kind=DeviceKind.TABLET, branch=branch, by=None)
    with pytest.raises(Conflict, match="waiting"):
        services.renew_loan(loan=loan, by=None)


def test_renewals_are_limited():
    LoanRule.objects.create(kind=DeviceKind.TABLET, renewals_allowed=1, renew_within_days=60)
    loan = issue(DeviceFactory(), BorrowerFactory())
    services.renew_loan(loan=loan, by=None)
    with pytest.raises(Conflict, match="most allowed"):
        services.renew_loan(loan=loan, by=None)


def test_bookings_never_overlap_nor_clash_with_loans():
    device = DeviceFactory()
    today = timezone.localdate()
    services.book_device(
        device=device,
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=35),
        purpose="Code club",
        by=None,
    )
    with pytest.raises(Conflict, match="booked from"):
        services.book_device(
            device=device,
            starts_on=today + timedelta(days=34),
            ends_on=today + timedelta(days=50),
            purpose="Course",
            by=None,
        )
    # A loan would run into the booking (28 days, then a renewal to 56).
    loan = issue(device, BorrowerFactory())
    loan.due_on = today + timedelta(days=3)
    loan.save()
    with pytest.raises(Conflict, match="booked"):
        services.renew_loan(loan=loan, by=None)
    with pytest.raises(Conflict, match="on loan until"):
        services.book_device(
            device=device, starts_on=today, ends_on=today, purpose="Drop-in", by=None
        )
    other = DeviceFactory()
    services.book_device(
        device=other, starts_on=today, ends_on=today + timedelta(days=3), purpose="Course", by=None
    )
    with pytest.raises(Conflict, match="lend another"):
        issue(other, BorrowerFactory())


def test_notices_are_sent_once(sms_outbox):
    texter = BorrowerFactory(email="", phone="07700 900123")
    loan = issue(DeviceFactory(), texter)
    assert len(sms_outbox) == 1
    loan.due_on = timezone.localdate() + timedelta(days=2)
    loan.save()
    assert services.send_due_reminders() == 1
    assert services.send_due_reminders() == 0
    loan.due_on = timezone.localdate() - timedelta(days=8)
    loan.save()
    assert services.send_overdue_notices() == 1
    assert services.send_overdue_notices() == 0
    assert OutboxMessage.objects.filter(kind="lending.overdue").count() == 1
    assert services.send_reminder_by_hand(loan=loan, by=None)
    with pytest.raises(Conflict, match="today already"):
        services.send_reminder_by_hand(loan=loan, by=None)
    assert len(sms_outbox) == 4


def test_lost_device_and_erasure():
    device = DeviceFactory()
    borrower = BorrowerFactory()
    loan = issue(device, borrower)
    with pytest.raises(Conflict, match="on loan"):
        services.anonymise_borrower(borrower=borrower, by=None, erase=True)
    services.record_lost(loan=loan, by=None, notes="Left on a bus")
    device.refresh_from_db()
    assert device.status == DeviceStatus.LOST
    services.anonymise_borrower(borrower=borrower, by=None, erase=True)
    borrower.refresh_from_db()
    assert borrower.email == "" and borrower.anonymised_at


def test_referral_becomes_a_hold_in_one_step():
    from fingerpost.helpdesk.models import HelpRequest

    branch = BranchFactory()
    request = HelpRequest.objects.create(
        organisation=branch, name="Rita Jones", email="rita@example.org", consent_to_share=True
    )
    hold = services.hold_from_referral(
        help_request=request, kind=DeviceKind.TABLET, branch=branch, by=None
    )
    assert hold.borrower.help_request == request
    assert hold.borrower.is_referred
    assert hold.status == HoldStatus.WAITING
    again = services.hold_from_referral(
        help_request=request, kind=DeviceKind.LAPTOP, branch=branch, by=None
    )
    assert again.borrower == hold.borrower


def test_retention_anonymises_lapsed_borrowers(settings):
    settings.FINGERPOST_LENDING_RETENTION_DAYS = 30
    old = BorrowerFactory(created_at=timezone.now() - timedelta(days=60))
    BorrowerFactory()
    assert services.anonymise_lapsed_borrowers() == 1
    old.refresh_from_db()
    assert old.anonymised_at


def test_loan_rules_are_checked():
    with pytest.raises(Invalid) as refused:
        services.save_rule(
            kind="tablet",
            by=None,
            loan_days=0,
            renewals_allowed=1,
            renew_within_days=1,
            per_borrower=1,
            referral_required=False,
            hold_days=3,
        )
    assert refused.value.field == "loan_days"
