import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def resource_storage() -> Storage:
    """Where uploaded files live: a storage alias of settings.STORAGES
    (local disk by default; any S3-compatible store by configuring one)."""
    return storages[settings.FINGERPOST_NETWORK_STORAGE]


def version_path(instance: "ResourceVersion", filename: str) -> str:
    # A random folder: file names are never guessable, and two versions
    # with the same name never overwrite each other.
    return f"network/resources/{uuid.uuid4().hex}/{filename}"


class ResourceKind(models.TextChoices):
    LINK = "link", _("A link")
    FILE = "file", _("A file")


class Resource(models.Model):
    """Something shared in the library: a link or a file (with its versions)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    kind = models.CharField(max_length=4, choices=ResourceKind.choices)
    url = models.URLField(_("link"), blank=True, max_length=500)
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    discipline = models.ForeignKey(
        "network.Discipline", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Points of the Service Standard (1 to 14) it relates to.
    standard_points = models.JSONField(default=list, blank=True)
    current_version = models.ForeignKey(
        "network.ResourceVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["-updated_at", "-id"], name="resource_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="file") | ~models.Q(url=""), name="link_resource_has_url"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:resource", kwargs={"slug": self.slug})

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class ResourceVersion(models.Model):
    """One uploaded file of a resource; replacing the file adds a version."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_path, storage=resource_storage, max_length=300)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="resource_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.filename} (version {self.number})"
