from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import roles_of


class EmailUserManager(UserManager["User"]):
    """Users sign in with their email address; there is no username."""

    def _create_user(  # type: ignore[override]
        self, email: str, password: str | None, **extra_fields: Any
    ) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Someone who signs in: partner staff, a volunteer champion or the operator.

    Residents never need an account. What a person may do comes from their
    verified memberships of organisations (accounts/roles.py); the operator
    (administrator) is `is_superuser`.
    """

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)

    objects: ClassVar[EmailUserManager] = EmailUserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def save(self, *args: Any, **kwargs: Any) -> None:
        # One way of writing each address, whoever creates the account
        # (sign-up, the admin site, a command), so sign-in and lookups match.
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def sees_resident_data(self) -> bool:
        return roles_of(self).sees_resident_data

    @property
    def role_names(self) -> str:
        """The roles this person holds, for display: "Coordinator, Digital champion"."""
        return ", ".join(roles_of(self).names)


def user_display(user: User) -> str:
    """How allauth names a person in pages and emails: their address."""
    return str(user.email)


class ApiToken(models.Model):
    """A named API token. Only a hash of it is stored: the token itself is
    shown once, when it is made. It stops working when revoked, when it
    expires or when its account is deactivated (which revokes it for good)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # sha256 of the token: tokens are long and random, so a fast hash is enough.
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so people can tell their tokens apart.
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
