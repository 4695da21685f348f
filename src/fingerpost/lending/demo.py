"""Demo lending: devices at each library branch, borrowers, and loans and
holds in every state (on loan, overdue, returned and awaiting the wipe
check, held, waiting, lost, in repair). `--scale N` makes N times as many
devices and borrowers, a third of the extra devices on loan. Idempotent:
devices by asset tag, borrowers by email, the story only once."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from fingerpost.organisations.models import Organisation, OrganisationKind

from .models import (
    AgreementKind,
    Borrower,
    Condition,
    Device,
    DeviceKind,
    DeviceStatus,
    Hold,
    HoldStatus,
    Loan,
    LoanRule,
    LoanStatus,
)

# Per branch, before scaling.
STOCK = [
    (DeviceKind.TABLET, 4, "Lenovo", "Tab M10"),
    (DeviceKind.LAPTOP, 2, "Acer", "Chromebook 314"),
    (DeviceKind.HOTSPOT, 1, "TP-Link", "M7350"),
    (DeviceKind.DATA_SIM, 2, "National Databank", "SIM"),
    (DeviceKind.ACCESSORY, 1, "Anker", "Keyboard case"),
]
RULES: dict[str, dict[str, object]] = {
    DeviceKind.LAPTOP: {"referral_required": True},
    DeviceKind.DATA_SIM: {"loan_days": 56, "renewals_allowed": 1},
    DeviceKind.HOTSPOT: {"loan_days": 14},
}
NAMES = ["Ann Baker", "Ben Carter", "Cath Dunn", "Dev Evans", "Eve Fox", "Fred Gale"]


def _branches() -> list[Organisation]:
    return list(
        Organisation.objects.filter(kind=OrganisationKind.LIBRARY, parent__isnull=False).order_by(
            "name"
        )
    )


def create_demo_data(*, scale: int) -> dict[str, int]:
    for kind in DeviceKind.values:
        LoanRule.objects.get_or_create(kind=kind, defaults=RULES.get(kind, {}))
    today = timezone.localdate()
    now = timezone.now()
    for index, branch in enumerate(_branches(), start=1):
        code = f"D{index}"
        devices = []
        for kind, count, make, model in STOCK:
            for n in range(1, count * scale + 1):
                devices.append(
                    Device(
                        asset_tag=f"{code}-{kind[:3].upper()}-{n:04d}",
                        serial_number=f"{code}{kind[:2].upper()}{n:06d}",
                        kind=kind,
                        make=make,
                        model=model,
                        branch=branch,
                        sim_allowance_gb=30 if kind == DeviceKind.DATA_SIM else None,
                        sim_expires_on=today + timedelta(days=180)
                        if kind == DeviceKind.DATA_SIM
                        else None,
                    )
                )
        Device.objects.bulk_create(devices, ignore_conflicts=True)
        borrowers = []
        for n in range(1, 6 * scale + 1):
            borrower, _ = Borrower.objects.get_or_create(
                email=f"borrower{index}.{n}@example.org",
                defaults={
                    "name": NAMES[(n - 1) % len(NAMES)] + ("" if n <= 6 else f" {n}"),
                    "branch": branch,
                    "phone": f"07700 9{index:02d}{n:03d}"[:13],
                    "library_card": f"2{index:03d}{n:06d}",
                    "referral": "Demo referral" if n % 2 else "",
                },
            )
            borrowers.append(borrower)
        if Loan.objects.filter(device__branch=branch).exists():
            continue
        _story(code, branch, borrowers, today=today, now=now)
        _scaled_loans(code, borrowers[6:], today=today, now=now)
    return {
        "devices": Device.objects.count(),
        "borrowers": Borrower.objects.count(),
        "loans": Loan.objects.count(),
    }


def _device(code: str, kind: str, n: int) -> Device:
    return Device.objects.get(asset_tag=f"{code}-{kind[:3].upper()}-{n:04d}")


def _loan(
    device: Device, borrower: Borrower, *, issued_days_ago: int, due_in: int, **more: object
) -> Loan:
    now = timezone.now()
    return Loan.objects.create(
        device=device,
        borrower=borrower,
        issued_at=now - timedelta(days=issued_days_ago),
        due_on=timezone.localdate() + timedelta(days=due_in),
        agreement=AgreementKind.SCREEN,
        condition_out=Condition.GOOD,
        **more,
    )


def _story(code: str, branch: Organisation, people: list[Borrower], **_: object) -> None:
    ann, ben, cath, dev, eve, fred = people[:6]
    now = timezone.now()
    # On loan, due in ten days; and overdue.
    _loan(_device(code, DeviceKind.TABLET, 1), ann, issued_days_ago=18, due_in=10)
    _loan(_device(code, DeviceKind.TABLET, 2), ben, issued_days_ago=33, due_in=-5)
    # Returned earlier, and one back today waiting for its wipe and check.
    for months_ago in (3, 2, 1):
        _loan(
            _device(code, DeviceKind.TABLET, 3),
            cath,
            issued_days_ago=30 * months_ago + 25,
            due_in=-30 * months_ago,
            status=LoanStatus.RETURNED,
            returned_at=now - timedelta(days=30 * months_ago),
            condition_in=Condition.GOOD,
        )
    _loan(
        _device(code, DeviceKind.TABLET, 4),
        dev,
        issued_days_ago=27,
        due_in=1,
        status=LoanStatus.RETURNED,
        returned_at=now,
        condition_in=Condition.FAIR,
        missing_parts="charger",
    )
    Device.objects.filter(pk=_device(code, DeviceKind.TABLET, 4).pk).update(
        status=DeviceStatus.AWAITING_CHECK
    )
    # Tablet 3 is held for Eve; Fred waits for a laptop (both are out).
    tablet = _device(code, DeviceKind.TABLET, 3)
    Hold.objects.create(
        borrower=eve,
        kind=DeviceKind.TABLET,
        branch=branch,
        status=HoldStatus.READY,
        device=tablet,
        ready_at=now,
        expires_at=now + timedelta(days=3),
    )
    # A lost laptop, one in repair: Fred waits for the next.
    _loan(
        _device(code, DeviceKind.LAPTOP, 1),
        ann,
        issued_days_ago=90,
        due_in=-62,
        status=LoanStatus.LOST,
        returned_at=now - timedelta(days=40),
        return_notes="Reported stolen",
    )
    Hold.objects.create(borrower=fred, kind=DeviceKind.LAPTOP, branch=branch)
    statuses = {
        DeviceStatus.ON_LOAN: [_device(code, DeviceKind.TABLET, n).pk for n in (1, 2)],
        DeviceStatus.HELD: [tablet.pk],
        DeviceStatus.LOST: [_device(code, DeviceKind.LAPTOP, 1).pk],
        DeviceStatus.IN_REPAIR: [_device(code, DeviceKind.LAPTOP, 2).pk],
    }
    for status, pks in statuses.items():
        Device.objects.filter(pk__in=pks).update(status=status)


def _scaled_loans(code: str, people: list[Borrower], **_: object) -> None:
    """With --scale, a third of the extra tablets go out on loan."""
    spare = list(
        Device.objects.filter(
            asset_tag__startswith=f"{code}-TAB-", status=DeviceStatus.AVAILABLE
        ).order_by("asset_tag")[4:]
    )
    loans = []
    for n, (device, borrower) in enumerate(zip(spare[::3], people, strict=False)):
        loans.append(
            Loan(
                device=device,
                borrower=borrower,
                issued_at=timezone.now() - timedelta(days=n % 28),
                due_on=timezone.localdate() + timedelta(days=28 - n % 28),
                agreement=AgreementKind.SCREEN,
                condition_out=Condition.GOOD,
            )
        )
    Loan.objects.bulk_create(loans)
    Device.objects.filter(pk__in=[loan.device_id for loan in loans]).update(
        status=DeviceStatus.ON_LOAN
    )
