"""Places where residents can get digital help in person, when they are open,
and the library service's online borrowing (e-books, e-audiobooks, e-magazines)."""

from datetime import datetime, timedelta
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fingerpost.helpdesk.models import Need

# A location nobody has confirmed for this long is flagged as possibly out of date.
STALE_AFTER = timedelta(days=183)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class HelpLocation(models.Model):
    """A library or community place where residents can get digital help."""

    # Stable public identifiers in the Open Referral UK feed: the place (its
    # location), the digital help given there (its service), and the two together.
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service_uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service_at_location_uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_locations",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name for web addresses"), max_length=200, unique=True)
    description = models.TextField(_("what happens here"), blank=True)
    address_line_1 = models.CharField(_("address line 1"), max_length=200)
    address_line_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town"), max_length=100)
    county = models.CharField(_("county"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)
    # Set from the postcode (organisations.Area), so searches by town find it.
    area = models.ForeignKey(
        "organisations.Area",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_locations",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("For example: step-free entrance, hearing loop, accessible toilet."),
    )
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_("Separated by commas. For example: English, Polish."),
    )
    booking_required = models.BooleanField(_("people need to book"), default=False)
    how_to_book = models.CharField(_("how to book"), max_length=300, blank=True)
    is_published = models.BooleanField(_("shown to the public"), default=True)
    reviewed_at = models.DateTimeField(_("details last confirmed"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When coordinators were last reminded that the details are out of date;
    # a reminder is sent once for each time the details go stale.
    stale_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="help_location_is_a_place",
            )
        ]
        indexes = [models.Index(fields=["is_published", "reviewed_at"], name="helploc_review")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:location", kwargs={"slug": self.slug})

    @property
    def address_lines(self) -> list[str]:
        return [
            line
            for line in (self.address_line_1, self.address_line_2, self.town, self.postcode)
            if line
        ]

    @property
    def language_list(self) -> list[str]:
        return [name.strip() for name in self.languages.split(",") if name.strip()]

    def is_stale(self, now: datetime | None = None) -> bool:
        return self.reviewed_at < (now or timezone.now()) - STALE_AFTER

    def map_url(self) -> str:
        """A map of the place, from its coordinates or else its postcode."""
        if self.latitude is not None and self.longitude is not None:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude:.5f}"
                f"&mlon={self.longitude:.5f}#map=17/{self.latitude:.5f}/{self.longitude:.5f}"
            )
        return f"https://www.openstreetmap.org/search?query={self.postcode.replace(' ', '+')}"


class HelpLocationNeed(models.Model):
    """One kind of help a location offers (the help desk's needs), for filtering."""

    location = models.ForeignKey(HelpLocation, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(_("help offered"), max_length=20, choices=Need.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "need"], name="helploc_need_once")
        ]
        indexes = [models.Index(fields=["need", "location"], name="helploc_need")]

    def __str__(self) -> str:
        return self.get_need_display()


class OpeningHours(models.Model):
    """When a location is open on a day of the week (one period a day)."""

    location = models.ForeignKey(
        HelpLocation, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday"]
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["location", "weekday"], name="hours_once_a_day"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="hours_close_after"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M} to {self.closes:%H:%M}"


class OpeningException(models.Model):
    """A day the usual hours do not apply, such as a bank holiday."""

    location = models.ForeignKey(
        HelpLocation, on_delete=models.CASCADE, related_name="opening_exceptions"
    )
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(
        _("reason"), max_length=100, blank=True, help_text=_("For example, bank holiday.")
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["location", "date"], name="exception_once_a_day"),
            models.CheckConstraint(
                condition=Q(closed=True, opens__isnull=True, closes__isnull=True)
                | Q(closed=False, opens__isnull=False, closes__gt=F("opens")),
                name="exception_closed_or_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.date}"


class EbookKind(models.TextChoices):
    EBOOKS = "ebooks", _("E-books")
    EAUDIOBOOKS = "eaudiobooks", _("E-audiobooks")
    EMAGAZINES = "emagazines", _("E-magazines and newspapers")


class EbookService(models.Model):
    """A library service's online borrowing: e-books, e-audiobooks or e-magazines."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("library service"),
        on_delete=models.CASCADE,
        related_name="ebook_services",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("what you can borrow"), max_length=20, choices=EbookKind.choices)
    description = models.TextField(_("description"), blank=True)
    how_to_join = models.TextField(
        _("how to join"), help_text=_("For example: you need a library card and its PIN.")
    )
    device_needed = models.CharField(
        _("device needed"),
        max_length=300,
        help_text=_("For example: a phone or tablet with the free app, or a computer."),
    )
    url = models.URLField(_("link"))
    is_published = models.BooleanField(_("shown to the public"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="ebook_service_unique")
        ]

    def __str__(self) -> str:
        return self.name
