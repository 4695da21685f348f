from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
        limit_choices_to={"role__in": ["coordinator", "admin"], "is_active": True},
        help_text=_(
            "A coordinator or administrator, alerted when someone flags a safeguarding "
            "concern on a request for help; they can read the request and its restricted notes."
        ),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    """A person working for (or volunteering with) an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation}"
