"""Events with a limited number of places, their bookings and waiting list."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fingerpost.core.identifiers import private_link_token, readable_reference


class EventKind(models.TextChoices):
    NETWORKING = "networking", _("Networking event")
    CODE_CLUB = "code_club", _("Code club")
    DROP_IN = "drop_in", _("Drop-in session")
    TRAINING = "training", _("Training")


class Audience(models.TextChoices):
    STAFF = "staff", _("Public-sector staff only")
    PUBLIC = "public", _("Open to residents")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class EventSeries(models.Model):
    """A recurring series, such as a weekly code club; each session is an Event."""

    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("event series")

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    audience = models.CharField(_("who can book"), max_length=10, choices=Audience.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.TextField(_("venue address"), blank=True)
    venue_accessibility = models.TextField(_("accessibility information"), blank=True)
    online_link = models.URLField(_("online joining link"), blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("number of places"))
    max_places_per_booking = models.PositiveSmallIntegerField(
        _("most places one person can book"), default=1
    )
    booking_opens_at = models.DateTimeField(_("booking opens"), null=True, blank=True)
    booking_closes_at = models.DateTimeField(_("booking closes"), null=True, blank=True)
    offer_hours = models.PositiveSmallIntegerField(_("hours to claim a freed place"), default=48)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_events"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    contact_email = models.EmailField(_("organiser contact email"))
    series = models.ForeignKey(
        EventSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_status_starts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(max_places_per_booking__gte=1), name="event_books_at_least_one_place"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def has_ended(self) -> bool:
        return self.ends_at is not None and self.ends_at <= timezone.now()

    def check_in_is_open(self, now: datetime | None = None) -> bool:
        """Check-in opens on the day the event starts (local time) and stays
        open after it, so a missed tap can still be put right."""
        if self.starts_at is None:
            return False
        today = timezone.localdate(now or timezone.now())
        return today >= timezone.localdate(self.starts_at)

    def booking_is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == EventStatus.PUBLISHED
            and self.starts_at is not None
            and self.starts_at > now
            and (self.booking_opens_at is None or self.booking_opens_at <= now)
            and (self.booking_closes_at is None or self.booking_closes_at > now)
        )


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    YES_NO = "yes_no", _("Yes or no")


class RegistrationQuestion(models.Model):
    """A question asked when booking, such as dietary or access needs."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("type of answer"), max_length=10, choices=QuestionKind.choices)
    choices = models.TextField(_("choices, one per line"), blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Booked")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered a place")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Offer expired")


# Statuses that hold (or wait for) a place: one such booking per email per event.
ACTIVE_STATUSES = [BookingStatus.CONFIRMED, BookingStatus.WAITING, BookingStatus.OFFERED]
# Statuses whose places count against the event's capacity.
HOLDING_STATUSES = [BookingStatus.CONFIRMED, BookingStatus.OFFERED]


def new_reference() -> str:
    return readable_reference(8)


def new_token() -> str:
    return private_link_token()


class Booking(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bookings")
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    # The private link in emails; possession of it is what lets someone manage the booking.
    token = models.CharField(max_length=64, unique=True, default=new_token)
    name = models.CharField(_("name"), max_length=150)
    # Blank only for walk-ins who did not give one.
    email = models.EmailField(_("email address"), blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    status = models.CharField(max_length=10, choices=BookingStatus.choices)
    answers = models.JSONField(default=dict, blank=True)
    # A retried or double-clicked submission carries the same key and finds this booking.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - NULL: no key, unique when set
    # Waiting-list order: first come, first served; organisers can move people.
    queue_position = models.BigIntegerField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    is_walk_in = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=ACTIVE_STATUSES) & ~Q(email=""),
                name="booking_one_active_per_email_per_event",
            ),
            models.UniqueConstraint(
                fields=["event", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="booking_unique_idempotency_key",
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="booking_at_least_one_place"),
        ]
        indexes = [
            models.Index(fields=["event", "status", "queue_position"], name="booking_queue"),
            models.Index(fields=["status", "offer_expires_at"], name="booking_offer_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def get_manage_url(self) -> str:
        return reverse("events:manage_booking", kwargs={"token": self.token})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class NotificationKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Booking confirmed")
    WAITING = "waiting", _("Waiting-list place")
    OFFER = "offer", _("Place offered")
    REMINDER = "reminder", _("Reminder")
    EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
    FEEDBACK = "feedback", _("Feedback request")
    BOOKING_CANCELLED = "booking_cancelled", _("Booking cancelled")
    OFFER_EXPIRED = "offer_expired", _("Offer expired")
    ALREADY_BOOKED = "already_booked", _("Someone tried to book again")
    EVENT_CHANGED = "event_changed", _("Time or place changed")


class FeedbackQuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    TEXT = "text", _("Free text")


# A rating's words, best first as the feedback form shows them.
RATINGS = [
    (5, "5 - Very good"),
    (4, "4 - Good"),
    (3, "3 - Neither good nor poor"),
    (2, "2 - Poor"),
    (1, "1 - Very poor"),
]


class FeedbackQuestion(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback_questions")
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(
        _("type of answer"), max_length=10, choices=FeedbackQuestionKind.choices
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class FeedbackResponse(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="feedback")
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Feedback from {self.booking_id}"
