"""Timed jobs (`fingerpost sweep`): a warning before a champion's check
expires, once for each threshold, and one reminder about an assignment with
no session logged. Each message has a once-only key in the outbox, so a job
that runs twice (or on two machines) sends nothing twice."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.core.mail import enqueue_email
from fingerpost.organisations.queries import people_with_role

from . import queries
from .models import Assignment, ChampionProfile


def _site(path: str) -> str:
    return f"{settings.FINGERPOST_SITE_URL}{path}"


def remind_about_expiring_checks(*, now: datetime | None = None) -> int:
    """Tell a champion and their host's coordinators that a check is about to
    expire: at each threshold (days before) once. A job that missed a
    threshold sends only the nearest one crossed."""
    today = timezone.localdate(now) if now else timezone.localdate()
    thresholds = sorted(settings.FINGERPOST_CHAMPIONS_CHECK_WARNING_DAYS)
    sent = 0
    due = (
        queries.checks_due(today=today, within_days=max(thresholds))
        .filter(check_expires_on__isnull=False, check_expires_on__gte=today)
        .select_related("user", "organisation")
    )
    for profile in due:
        assert profile.check_expires_on is not None
        days_left = (profile.check_expires_on - today).days
        threshold = next(t for t in thresholds if days_left <= t)
        coordinators = list(
            people_with_role(Role.COORDINATOR, organisation_id=profile.organisation_id)
            .exclude(pk=profile.user_id)
            .values_list("email", flat=True)
        )
        with transaction.atomic():
            message = _send_check_warning(profile, days_left, threshold, coordinators)
        sent += int(message)
    return sent


def _send_check_warning(
    profile: ChampionProfile, days_left: int, threshold: int, coordinators: list[str]
) -> bool:
    key = f"champions:check:{profile.pk}:{profile.check_expires_on}:{threshold}"
    sent = False
    for to, url, suffix in (
        ([profile.user.email], reverse("champions:my_profile"), "champion"),
        (coordinators, reverse("champions:detail", args=[profile.pk]), "coordinators"),
    ):
        if not to:
            continue
        message = enqueue_email(
            subject=f"A background check expires in {days_left} days",
            body=render_to_string(
                "champions/email/check_expiring.txt",
                {"profile": profile, "days_left": days_left, "url": _site(url)},
            ),
            to=to,
            kind="champions.check_expiring",
            once_key=f"{key}:{suffix}",
        )
        sent = sent or message is not None
    return sent


def remind_about_quiet_assignments(*, now: datetime | None = None) -> int:
    """Remind a champion, once, about a request with no session logged
    within the set number of days."""
    now = now or timezone.now()
    sent = 0
    for assignment in queries.quiet_assignments(now=now).filter(reminded_at__isnull=True):
        with transaction.atomic():
            claimed = Assignment.objects.filter(pk=assignment.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            message = enqueue_email(
                subject=f"Request {assignment.help_request.reference}: no session logged yet",
                body=render_to_string(
                    "champions/email/quiet.txt",
                    {
                        "assignment": assignment,
                        "days": settings.FINGERPOST_CHAMPIONS_NO_SESSION_DAYS,
                        "url": _site(
                            reverse("champions:request", args=[assignment.help_request.reference])
                        ),
                    },
                ),
                to=[assignment.champion.email],
                kind="champions.quiet",
                once_key=f"champions:quiet:{assignment.pk}",
                about=("help_request", assignment.help_request.reference),
            )
            sent += int(message is not None)
    return sent
