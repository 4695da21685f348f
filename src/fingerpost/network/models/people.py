from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Discipline(models.Model):
    """A kind of work people in the network do (customer service, ICT...).
    The partnership adds its own in the admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short name for web addresses"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """A verified member's page in who's who, and their email choices.
    Each person decides whether they are listed and whether their email
    address and phone number are shown."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_profile"
    )
    # What @mentions use: letters, digits and hyphens, unique.
    handle = models.SlugField(_("name for mentions"), max_length=60, unique=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    discipline = models.ForeignKey(
        Discipline,
        verbose_name=_("discipline"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
    )
    skills = models.TextField(_("skills"), blank=True)
    interests = models.TextField(_("interests"), blank=True)
    ask_me_about = models.TextField(_("ask me about"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    listed = models.BooleanField(_("show me in who's who"), default=True)
    show_email = models.BooleanField(_("show my email address"), default=False)
    show_phone = models.BooleanField(_("show my phone number"), default=False)
    email_mentions = models.BooleanField(_("email me when someone mentions me"), default=True)
    email_replies = models.BooleanField(_("email me replies to my posts"), default=True)
    email_followed = models.BooleanField(_("email me new posts in topics I follow"), default=True)
    weekly_digest = models.BooleanField(_("send me the weekly digest"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return self.user.full_name or self.user.email

    def get_absolute_url(self) -> str:
        return reverse("network:person", kwargs={"handle": self.handle})

    @property
    def name(self) -> str:
        return self.user.full_name or self.user.email

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]


class OrganisationProfile(models.Model):
    """What an organisation offers the network, and who to contact there."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="network_profile"
    )
    offers = models.TextField(_("what we offer"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    def __str__(self) -> str:
        return str(self.organisation)
