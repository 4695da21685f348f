from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    ERASE = "erase", _("Erased")
    ANONYMISE = "anonymise", _("Anonymised")


class AuditEntry(models.Model):
    """One look at, or change to, a resident's record. Written, never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    subject_type = models.CharField(max_length=40)
    subject_reference = models.CharField(max_length=40)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["subject_type", "subject_reference"], name="audit_subject"),
            models.Index(fields=["actor", "-at"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.subject_type} {self.subject_reference}"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")
    SKIPPED = "skipped", _("Not sent: no longer true")


class Failure(models.TextChoices):
    TEMPORARY = "temporary", _("The mail or text service did not answer or asked to try later")
    PERMANENT = "permanent", _("The address or number was refused")


class OutboxMessage(models.Model):
    """One email or text to send. Written in the same transaction as the
    change that causes it; `fingerpost worker` sends it and marks it sent
    only once the mail server or GOV.UK Notify has accepted it (see
    core/outbox.py)."""

    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    # What the message is about, for people: "events.confirmation", "helpdesk.assigned".
    kind = models.CharField(max_length=60, blank=True)
    # The same key twice is one message: reminders, offers, daily digests.
    once_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    # The record the message is about ("booking", "help_request"), so a
    # failure can be shown where a coordinator will see it.
    about_type = models.CharField(max_length=40, blank=True)
    about_reference = models.CharField(max_length=40, blank=True)
    # Email addresses, or the one mobile number of a text.
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    # (filename, mimetype, base64 content) dicts.
    attachments = models.JSONField(default=list, blank=True)
    # When set, the worker builds the subject, body and attachments at send
    # time by calling this function with `render_args` (it may answer None:
    # the message is no longer true and is skipped).
    renderer = models.CharField(max_length=200, blank=True)
    render_args = models.JSONField(default=dict, blank=True)
    # The same for every attempt: the email's Message-ID and Notify's reference,
    # so a retried message can be recognised as the same one.
    reference = models.CharField(max_length=40, unique=True)

    status = models.CharField(
        max_length=8, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Retries stop this long after `queued_at` (reset when staff send it again).
    queued_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # Set just before the message is handed to the mail server or Notify and
    # cleared if that fails: a lost worker that had set it may have sent it.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    possible_duplicate = models.BooleanField(default=False)
    failure = models.CharField(max_length=9, choices=Failure.choices, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    resent_at = models.DateTimeField(null=True, blank=True)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A failure someone has dealt with (phoned the person, fixed the address).
    dealt_with_at = models.DateTimeField(null=True, blank=True)
    dealt_with_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    content_wiped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(
                fields=["lease_expires_at"],
                name="outbox_leased",
                condition=models.Q(status="sending"),
            ),
            models.Index(fields=["status", "-created_at"], name="outbox_status"),
            models.Index(fields=["about_type", "about_reference"], name="outbox_about"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(lease_expires_at__isnull=False),
                name="outbox_sending_has_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.reference} ({self.status})"

    @property
    def needs_attention(self) -> bool:
        return self.status == MessageStatus.FAILED and self.dealt_with_at is None


class WorkerHeartbeat(models.Model):
    """Each `fingerpost worker` writes its row every few seconds, so
    /healthz/worker can say whether one is alive."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} seen {self.seen_at:%H:%M:%S}"
