"""Requests for digital help from residents, followed from first contact to an outcome."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fingerpost.core.free_times import free_phrase
from fingerpost.core.identifiers import private_link_token, readable_reference

# The help desk's own Idempotency-Keys: random, in a namespace no API client
# or browser can reach (the API hashes its callers' keys, the web issues its
# own). Which request a booking is for is `SessionBooking`, not the key.
BOOKING_KEY_PREFIX = "helpdesk:"


class Need(models.TextChoices):
    GETTING_ONLINE = "getting_online", _("Getting online and connected")
    USING_A_DEVICE = "using_a_device", _("Using a phone, tablet or computer")
    EMAIL = "email", _("Email and messaging")
    VIDEO_CALLS = "video_calls", _("Video calls with family and friends")
    ONLINE_FORMS = "online_forms", _("Online forms and services, like benefits, GP or council")
    SHOPPING_BANKING = "shopping_banking", _("Shopping and banking online")
    STAYING_SAFE = "staying_safe", _("Staying safe online")
    FINDING_WORK = "finding_work", _("Finding work")
    OTHER = "other", _("Something else")


class HelpMode(models.TextChoices):
    LIBRARY = "library", _("At a library")
    HOME = "home", _("At home")
    PHONE = "phone", _("By phone")
    COMMUNITY_VENUE = "community_venue", _("At a community venue")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("Not sure")


class ReferralSource(models.TextChoices):
    SELF = "self", _("The resident asked themselves")
    LIBRARY = "library", _("Library")
    COUNCIL_CONTACT_CENTRE = "council_contact_centre", _("Council contact centre")
    HEALTH = "health", _("Health")
    JOB_CENTRE = "job_centre", _("Job centre")
    HOUSING = "housing", _("Housing")
    VOLUNTARY_GROUP = "voluntary_group", _("Voluntary group")
    FAMILY_OR_FRIEND = "family_or_friend", _("Family or friend")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")
    COUNTER = "counter", _("In person")
    REFERRAL = "referral", _("Referral by partner staff")
    API = "api", _("Partner system")


class Status(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class Outcome(models.TextChoices):
    HELPED = "helped", _("Helped")
    SIGNPOSTED = "signposted", _("Signposted to another service")
    NO_CONTACT = "no_contact", _("No contact after several tries")
    DECLINED = "declined", _("Declined help")
    REFERRED = "referred", _("Referred elsewhere")
    WITHDRAWN = "withdrawn", _("Withdrawn by the resident")
    # Counted apart from "Helped": many people's first step is borrowing e-books.
    HELPED_WITH_EBOOKS = "ebooks", _("Helped to use e-books")


def new_reference() -> str:
    return readable_reference(7, prefix="H")


def new_token() -> str:
    return private_link_token()


class HelpRequest(models.Model):
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    referral_source = models.CharField(
        max_length=30, choices=ReferralSource.choices, default=ReferralSource.SELF
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_help_requests",
    )
    # What they want to be able to do (also one HelpRequestNeed row per need, for filtering).
    what_they_want = models.TextField(_("what they want to be able to do"), blank=True)
    has_device = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    has_internet = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    help_modes = models.JSONField(default=list, blank=True)
    # The needs again, as bits (`NEED_BIT`), set by the services that write
    # the HelpRequestNeed rows (intake, triage): the queue's need filter and its count read
    # them from the open requests' index instead of joining every need ever
    # recorded (most of them of closed requests).
    need_bits = models.PositiveIntegerField(default=0, editable=False)
    # When the resident is usually free (optional): `core.free_times` days
    # and parts of the day, which matching ANDs with champions' free slots.
    free_days = models.JSONField(default=list, blank=True)
    free_parts = models.JSONField(default=list, blank=True)
    # Personal data: wiped by anonymisation.
    name = models.CharField(_("name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    postcode_or_town = models.CharField(_("postcode or town"), max_length=100, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    access_needs = models.TextField(_("access needs"), blank=True)
    consent_to_share = models.BooleanField(_("consents to sharing with a volunteer"), default=False)
    # Kept after anonymisation, for statistics.
    area = models.CharField(_("area"), max_length=100, blank=True)
    # The town from the partnership's list (organisations.Area) that the
    # postcode or town given belongs to: "DT4 7AB" and "Weymouth" both give
    # Weymouth, so reports group them. Kept when the request is anonymised.
    town = models.ForeignKey(
        "organisations.Area",
        verbose_name=_("town"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_help_requests",
    )
    # When the assigned champion took the request on. Until then (an offer
    # waiting for their answer) they see what they need to decide, never the
    # resident's contact details or record.
    assignment_accepted_at = models.DateTimeField(null=True, blank=True)
    safeguarding_concern = models.BooleanField(default=False)
    # The latest place booked for the resident at a code club or drop-in.
    event_booking = models.ForeignKey(
        "events.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField(blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: every change bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    # The queue shows new requests first and closed ones last; kept by the
    # database so the queue can be read in index order at any volume.
    queue_rank = models.GeneratedField(
        expression=Case(
            When(status="new", then=Value(0)),
            When(status="closed", then=Value(2)),
            default=Value(1),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "-created_at"], name="helpreq_queue"),
            models.Index(fields=["assigned_to", "status"], name="helpreq_assigned"),
            models.Index(fields=["status", "closed_at"], name="helpreq_closed"),
            models.Index(fields=["created_at"], name="helpreq_created"),
            models.Index(
                fields=["queue_rank", "-priority", "created_at", "id"], name="helpreq_queue_order"
            ),
            # The same order over the open requests only, with what the
            # queue filters every page by: a page's ids are read from it
            # alone (`queries.QueuePaginator`), however far down the page.
            models.Index(
                fields=["queue_rank", "-priority", "created_at", "id"],
                include=["organisation", "status"],
                condition=~Q(status="closed"),
                name="helpreq_open_queue",
            ),
            # Only the open requests, which the queue lists and counts: a few
            # thousand at most however many years are closed behind them, so
            # the queue's count is read from this small index alone, the need
            # filter's too (with `need_bits` in it).
            models.Index(
                fields=["organisation", "status", "priority", "created_at", "town"],
                include=["id", "need_bits"],
                condition=~Q(status="closed"),
                name="helpreq_open",
            ),
            # The queue's area filter matches the text typed, in any case
            # (area__iexact, OR-ed with the town): with this, PostgreSQL ORs
            # two index scans instead of reading every open request of the
            # status asked for.
            models.Index(
                Upper("area"),
                F("status"),
                condition=~Q(status="closed"),
                name="helpreq_open_area",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""),
                name="helpreq_closed_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:detail", kwargs={"reference": self.reference})

    def help_mode_labels(self) -> list[str]:
        labels = dict(HelpMode.choices)
        return [str(labels.get(mode, mode)) for mode in self.help_modes]

    def free_times_label(self) -> str:
        """When the resident said they are usually free, in words ("" if not given)."""
        return free_phrase(self.free_days, self.free_parts)

    @property
    def mobile(self) -> str:
        """The phone number if texts can be sent to it."""
        from fingerpost.core.sms import mobile_number

        return mobile_number(self.phone)


# Bit n is the n-th need: a new need goes at the end of `Need`, or kept bits
# would change meaning (migration 0013 filled them in this order).
NEED_BIT = {need: 1 << n for n, need in enumerate(Need.values)}


def need_mask(needs: Any) -> int:
    mask = 0
    for need in needs:
        mask |= NEED_BIT.get(need, 0)
    return mask


def keep_need_bits(request_ids: Any = None) -> None:
    """Set `need_bits` of these requests (None: of every request) from their
    need rows, for code that writes the rows itself (the demo, benches and
    tests); the services set the bits with the rows they write."""
    if request_ids is None:
        # In SQL, one statement per need, however many requests.
        HelpRequest.objects.update(need_bits=0)
        for need, bit in NEED_BIT.items():
            with_need = HelpRequestNeed.objects.filter(need=need).values("request_id")
            HelpRequest.objects.filter(pk__in=with_need).update(need_bits=F("need_bits") + bit)
        return
    request_ids = list(request_ids)
    for start in range(0, len(request_ids), 500):
        chunk = request_ids[start : start + 500]
        bits = dict.fromkeys(chunk, 0)
        for request_id, need in HelpRequestNeed.objects.filter(request_id__in=chunk).values_list(
            "request_id", "need"
        ):
            bits[request_id] |= NEED_BIT.get(need, 0)
        HelpRequest.objects.bulk_update(
            [HelpRequest(pk=pk, need_bits=mask) for pk, mask in bits.items()], ["need_bits"]
        )


class HelpRequestNeed(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(max_length=20, choices=Need.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "need"], name="helpreq_need_once")
        ]
        indexes = [models.Index(fields=["need", "request"], name="helpreq_need")]

    def __str__(self) -> str:
        return self.get_need_display()


class TimelineKind(models.TextChoices):
    CREATED = "created", _("Request made")
    STATUS = "status", _("Status changed")
    PRIORITY = "priority", _("Priority set")
    NEEDS = "needs", _("Needs confirmed")
    ASSIGNED = "assigned", _("Assigned")
    ROUTED = "routed", _("Routed")
    BOOKED = "booked", _("Booked at a session")
    NOTE = "note", _("Note added")
    CONTACT = "contact", _("Contact attempt")
    SAFEGUARDING = "safeguarding", _("Safeguarding concern flagged")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the resident")
    TRANSFERRED = "transferred", _("Transferred")


class TimelineEntry(models.Model):
    """Who did what to a request, and when."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="timeline")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(max_length=15, choices=TimelineKind.choices)
    detail = models.TextField(blank=True)
    # Notes on a safeguarding concern are seen only by coordinators and the lead.
    restricted = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class WaitingReminder(models.Model):
    """One reminder a day per organisation about requests waiting for first contact."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="helpdesk_reminder_daily")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.day}"


class SessionBooking(models.Model):
    """A place the help desk booked for a resident: which request it was for."""

    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="session_bookings"
    )
    booking = models.OneToOneField(
        "events.Booking", on_delete=models.CASCADE, related_name="help_desk_link"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} -> {self.booking_id}"
