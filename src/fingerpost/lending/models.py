"""Devices lent so residents can practise at home: the inventory, loan rules,
borrowers, the holds queue, staff bookings and loans.

The database keeps the scarce things single: one active loan per device, one
ready hold per device and one open hold per borrower for a type at a branch.
Services lock the device row before any change, so bookings (date ranges)
never overlap either."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fingerpost.core.identifiers import private_link_token, readable_reference


class DeviceKind(models.TextChoices):
    TABLET = "tablet", _("Tablet")
    LAPTOP = "laptop", _("Laptop")
    PHONE = "phone", _("Phone")
    HOTSPOT = "hotspot", _("Mobile hotspot")
    DATA_SIM = "data_sim", _("Data SIM")
    ACCESSORY = "accessory", _("Accessory")


class DeviceStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ON_LOAN = "on_loan", _("On loan")
    HELD = "held", _("Held for a borrower")
    AWAITING_CHECK = "awaiting_check", _("Awaiting wipe and check")
    IN_REPAIR = "in_repair", _("In repair")
    LOST = "lost", _("Lost")
    RETIRED = "retired", _("Retired")


class Condition(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair: marks or wear")
    DAMAGED = "damaged", _("Damaged")


class LoanRule(models.Model):
    """How one type of device is lent; an admin edits these."""

    kind = models.CharField(max_length=12, choices=DeviceKind.choices, unique=True)
    loan_days = models.PositiveSmallIntegerField(_("loan length in days"), default=28)
    renewals_allowed = models.PositiveSmallIntegerField(_("renewals allowed"), default=2)
    renew_within_days = models.PositiveSmallIntegerField(
        _("days before the due date a renewal is possible"), default=7
    )
    per_borrower = models.PositiveSmallIntegerField(
        _("devices of this type per borrower"), default=1
    )
    referral_required = models.BooleanField(_("a referral is required"), default=False)
    hold_days = models.PositiveSmallIntegerField(
        _("days a device is held for collection"), default=3
    )

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(condition=Q(loan_days__gte=1), name="lending_rule_loan_days"),
            models.CheckConstraint(
                condition=Q(per_borrower__gte=1), name="lending_rule_per_borrower"
            ),
            models.CheckConstraint(condition=Q(hold_days__gte=1), name="lending_rule_hold_days"),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Device(models.Model):
    asset_tag = models.CharField(_("asset tag"), max_length=40, unique=True)
    serial_number = models.CharField(_("serial number"), max_length=80, blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=DeviceKind.choices)
    make = models.CharField(max_length=80, blank=True)
    model = models.CharField(max_length=80, blank=True)
    branch = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("home branch"),
        on_delete=models.PROTECT,
        related_name="devices",
    )
    condition = models.CharField(max_length=10, choices=Condition.choices, default=Condition.GOOD)
    status = models.CharField(
        max_length=16, choices=DeviceStatus.choices, default=DeviceStatus.AVAILABLE
    )
    notes = models.TextField(blank=True)
    # Data SIMs only.
    sim_allowance_gb = models.PositiveIntegerField(_("data allowance (GB)"), null=True, blank=True)
    sim_expires_on = models.DateField(_("SIM expires on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["asset_tag"]
        indexes = [
            models.Index(fields=["branch", "kind", "status"], name="lending_device_free"),
            models.Index(fields=["status", "asset_tag"], name="lending_device_status"),
        ]

    def __str__(self) -> str:
        return f"{self.asset_tag} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("lending:device", args=[self.asset_tag])

    @property
    def label(self) -> str:
        name = " ".join(part for part in (self.make, self.model) if part)
        return f"{self.asset_tag}: {name}" if name else self.asset_tag


class DeviceEvent(models.Model):
    """The device's full history: who did what to it, and when."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    what = models.CharField(max_length=40)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["device", "-at"], name="lending_device_history")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.what}"


def new_borrower_reference() -> str:
    return readable_reference(7, prefix="B")


def new_loan_reference() -> str:
    return readable_reference(7, prefix="L")


class Borrower(models.Model):
    """A resident who borrows: no account needed. Personal fields are blanked
    by anonymisation (after retention, or on erasure); loans stay for figures."""

    reference = models.CharField(max_length=12, unique=True, default=new_borrower_reference)
    # The resident's private page of their loans and holds.
    token = models.CharField(max_length=64, unique=True, default=private_link_token)
    branch = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("registered at"),
        on_delete=models.PROTECT,
        related_name="borrowers",
    )
    help_request = models.ForeignKey(
        "helpdesk.HelpRequest",
        verbose_name=_("help request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="borrowers",
    )
    # Personal data.
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    library_card = models.CharField(_("library card number"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)
    # Who referred them, when the help desk did not (a job centre, a GP).
    referral = models.CharField(_("referred by"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["branch", "name"], name="lending_borrower_branch"),
            models.Index(fields=["email"], name="lending_borrower_email"),
            models.Index(fields=["phone"], name="lending_borrower_phone"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("lending:borrower", args=[self.reference])

    @property
    def is_referred(self) -> bool:
        return self.help_request_id is not None or bool(self.referral.strip())


class AgreementKind(models.TextChoices):
    SCREEN = "screen", _("Accepted on screen")
    PAPER = "paper", _("Signed on paper")


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("On loan")
    RETURNED = "returned", _("Returned")
    LOST = "lost", _("Lost")


class Loan(models.Model):
    reference = models.CharField(max_length=12, unique=True, default=new_loan_reference)
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="loans")
    status = models.CharField(max_length=10, choices=LoanStatus.choices, default=LoanStatus.ACTIVE)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    due_on = models.DateField()
    renewals = models.PositiveSmallIntegerField(default=0)
    agreement = models.CharField(max_length=10, choices=AgreementKind.choices)
    witnessed_by = models.CharField(max_length=150, blank=True)
    condition_out = models.CharField(max_length=10, choices=Condition.choices)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    condition_in = models.CharField(max_length=10, choices=Condition.choices, blank=True)
    missing_parts = models.CharField(max_length=300, blank=True)
    return_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # The database's own guard: one device is never on two loans.
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(status="active"),
                name="lending_one_active_loan_per_device",
            ),
            models.CheckConstraint(
                condition=~Q(agreement="paper") | ~Q(witnessed_by=""),
                name="lending_paper_agreement_witnessed",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(returned_at__isnull=False),
                name="lending_ended_loan_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="lending_loan_due"),
            models.Index(fields=["borrower", "status"], name="lending_loan_borrower"),
            models.Index(fields=["issued_at"], name="lending_loan_issued"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("lending:loan", args=[self.reference])

    def is_overdue(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return self.status == LoanStatus.ACTIVE and self.due_on < today  # type: ignore[operator]


class HoldStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    READY = "ready", _("Ready to collect")
    COLLECTED = "collected", _("Collected")
    EXPIRED = "expired", _("Not collected in time")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_HOLD_STATUSES = (HoldStatus.WAITING, HoldStatus.READY)


class Hold(models.Model):
    """A place in the first-come-first-served queue for a type of device at a
    branch; once a device is free it is held for the borrower (`ready`)."""

    borrower = models.ForeignKey(Borrower, on_delete=models.CASCADE, related_name="holds")
    kind = models.CharField(_("type"), max_length=12, choices=DeviceKind.choices)
    branch = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="device_holds"
    )
    status = models.CharField(max_length=10, choices=HoldStatus.choices, default=HoldStatus.WAITING)
    device = models.ForeignKey(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="holds"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    loan = models.ForeignKey(
        Loan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(status="ready"),
                name="lending_one_ready_hold_per_device",
            ),
            models.UniqueConstraint(
                fields=["borrower", "kind", "branch"],
                condition=Q(status__in=["waiting", "ready"]),
                name="lending_one_open_hold_per_borrower",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(device__isnull=False, expires_at__isnull=False),
                name="lending_ready_hold_has_device",
            ),
        ]
        indexes = [
            models.Index(
                fields=["branch", "kind", "status", "created_at"], name="lending_hold_queue"
            ),
            models.Index(fields=["status", "expires_at"], name="lending_hold_expiry"),
        ]

    def __str__(self) -> str:
        return f"hold {self.pk}"


class Booking(models.Model):
    """Staff set a device aside for dates ahead (a code club, a course)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="bookings")
    starts_on = models.DateField()
    ends_on = models.DateField()
    purpose = models.CharField(max_length=200)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="lending_booking_dates"
            )
        ]
        indexes = [models.Index(fields=["device", "starts_on"], name="lending_booking_device")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.starts_on} to {self.ends_on}"
