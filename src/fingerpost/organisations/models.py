from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fingerpost.accounts.roles import MEMBERSHIP_ROLE_FIELDS, Role


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", _("Council")
    LIBRARY = "library", _("Library service")
    HEALTH = "health", _("Health")
    POLICE = "police", _("Police")
    FIRE = "fire", _("Fire and rescue")
    EDUCATION = "education", _("Education")
    VOLUNTARY = "voluntary", _("Voluntary and community")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A partner in the partnership: a council, the library service, an NHS trust..."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name for web addresses"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    area = models.CharField(_("area"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        help_text=_("For example, a library branch is part of the library service."),
    )
    offers_digital_help = models.BooleanField(
        _("residents can get digital help here"),
        default=False,
        help_text=_("Shown on the public 'Get digital help' page."),
    )
    safeguarding_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("safeguarding lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        # The lead reads the request and its restricted notes, so they must be
        # someone who signs in with two-factor authentication.
        limit_choices_to=(
            models.Q(memberships__is_coordinator=True, memberships__verified_at__isnull=False)
            | models.Q(is_superuser=True)
        )
        & models.Q(is_active=True),
        help_text=_(
            "A coordinator or administrator, alerted when someone flags a safeguarding "
            "concern on a request for help; they can read the request and its restricted notes."
        ),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        through_fields=("organisation", "user"),
        related_name="organisations",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})


class EmailDomain(models.Model):
    """An email domain whose addresses belong to one organisation's staff: a new
    account confirmed at such an address joins that organisation, verified."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="email_domains"
    )
    domain = models.CharField(
        _("email domain"),
        max_length=253,
        unique=True,
        help_text=_("The part after the @, such as dorsetcouncil.gov.uk."),
    )

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class Verification(models.TextChoices):
    EMAIL_DOMAIN = "email_domain", _("Email address at the organisation's domain")
    APPROVAL = "approval", _("Approved by the organisation")
    INVITATION = "invitation", _("Invited by the organisation")
    MIGRATED = "migrated", _("Carried over from before vetting")


class Membership(models.Model):
    """A person working for (or volunteering with) an organisation, and the roles
    they hold there. Nothing but their own account is open to them until the
    membership is verified (by email domain or by the organisation's approval)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # Roles on top of membership; see accounts/roles.py.
    is_champion = models.BooleanField(_("digital champion"), default=False)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_organiser = models.BooleanField(_("organiser"), default=False)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verification = models.CharField(
        _("how it was verified"), max_length=20, choices=Verification.choices, blank=True
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(verified_at__isnull=True) | ~models.Q(verification=""),
                name="membership_verified_says_how",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "verified_at"], name="membership_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def role_labels(self) -> list[str]:
        return [
            str(Role(role).label)
            for role, flag in MEMBERSHIP_ROLE_FIELDS.items()
            if getattr(self, flag)
        ]


class Area(models.Model):
    """A town and the postcode districts around it, kept by the partnership, so
    "DT4 7AB", "dt4" and "Weymouth" all mean the same place. Apps group and
    search by it (`queries.area_for`)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short name for web addresses"), max_length=100, unique=True)
    other_names = models.CharField(
        _("other names"),
        max_length=200,
        blank=True,
        help_text=_("Other names people use for it, separated by commas. For example, Blandford."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def names(self) -> list[str]:
        return [self.name, *(n.strip() for n in self.other_names.split(",") if n.strip())]


class PostcodeDistrict(models.Model):
    """The first half of a postcode (DT4), the area it belongs to and roughly
    where its middle is, for "nearest first" without asking any outside service."""

    code = models.CharField(_("postcode district"), max_length=4, unique=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="districts")
    latitude = models.FloatField(_("latitude of its middle"), null=True, blank=True)
    longitude = models.FloatField(_("longitude of its middle"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="district_centre_is_a_place",
            )
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = self.code.strip().upper().replace(" ", "")
        super().save(*args, **kwargs)
