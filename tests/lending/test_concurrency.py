"""Many staff lending at once, on PostgreSQL with real connections: a device
is never on two loans, held twice or booked twice over the same dates."""

import contextlib
import itertools
import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from fingerpost.core.errors import Conflict
from fingerpost.lending import services
from fingerpost.lending.models import Booking, Condition, DeviceKind, Hold, HoldStatus, Loan

from .factories import BorrowerFactory, BranchFactory, DeviceFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
)


def _run_in_threads(count: int, target) -> tuple[list[object], list[BaseException]]:
    results: list[object] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            results.append(target(n))
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_issues_of_one_device_at_once_exactly_one_wins() -> None:
    device = DeviceFactory()
    borrowers = [BorrowerFactory(branch=device.branch) for _ in range(2)]

    def lend(n: int) -> object:
        return services.issue_loan(
            device=device, borrower=borrowers[n], by=None, agreement="screen"
        )

    results, errors = _run_in_threads(2, lend)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], Conflict)
    assert Loan.objects.filter(device=device).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_staff_lending_and_returning_never_lend_a_device_twice() -> None:
    branch = BranchFactory()
    devices = [DeviceFactory(branch=branch) for _ in range(3)]
    borrowers = [BorrowerFactory(branch=branch) for _ in range(12)]

    def churn(n: int) -> int:
        done = 0
        for round_ in range(3):
            device = devices[(n + round_) % 3]
            try:
                loan = services.issue_loan(
                    device=device, borrower=borrowers[n], by=None, agreement="screen"
                )
            except Conflict:
                continue
            services.return_loan(loan=loan, by=None, condition=Condition.GOOD)
            with contextlib.suppress(Conflict):
                services.confirm_wipe_check(
                    device=device, by=None, wiped=True, checked=True, condition=Condition.GOOD
                )
            done += 1
        return done

    results, errors = _run_in_threads(12, churn)
    assert errors == []
    assert sum(results) >= 1  # type: ignore[arg-type]
    for device in devices:
        loans = list(Loan.objects.filter(device=device).order_by("issued_at"))
        # Each loan ended before the next began.
        for earlier, later in itertools.pairwise(loans):
            assert earlier.returned_at is not None and earlier.returned_at <= later.issued_at


@pytest.mark.django_db(transaction=True)
def test_holds_placed_at_once_hold_each_free_device_for_one_person() -> None:
    branch = BranchFactory()
    devices = [DeviceFactory(branch=branch) for _ in range(2)]
    borrowers = [BorrowerFactory(branch=branch) for _ in range(8)]

    def hold(n: int) -> object:
        return services.place_hold(
            borrower=borrowers[n], kind=DeviceKind.TABLET, branch=branch, by=None
        )

    _results, errors = _run_in_threads(8, hold)
    assert errors == []
    ready = Hold.objects.filter(status=HoldStatus.READY)
    assert ready.count() == 2
    assert {h.device_id for h in ready} == {d.pk for d in devices}
    assert Hold.objects.filter(status=HoldStatus.WAITING).count() == 6


@pytest.mark.django_db(transaction=True)
def test_two_bookings_of_the_same_dates_at_once_one_wins() -> None:
    device = DeviceFactory()
    start = timezone.localdate() + timedelta(days=10)

    def book(n: int) -> object:
        return services.book_device(
            device=device,
            starts_on=start + timedelta(days=n),
            ends_on=start + timedelta(days=n + 3),
            purpose=f"Course {n}",
            by=None,
        )

    results, errors = _run_in_threads(4, book)
    assert len(results) == 1
    assert all(isinstance(error, Conflict) for error in errors)
    assert Booking.objects.filter(device=device).count() == 1
