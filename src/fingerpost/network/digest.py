"""The weekly digest: new posts, resources, changes on your initiatives'
boards and upcoming events. `fingerpost sweep` runs `send_weekly_digests`
(a timed job); each person gets one digest a week whatever the number of
sweeps, because its outbox key names the person and the week, and the
worker builds it when it sends it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from fingerpost.core.mail import enqueue_email
from fingerpost.core.outbox import Rendered

from . import queries
from .notifications import site_url, unsubscribe_headers, unsubscribe_url

RENDERER = "fingerpost.network.digest.render_digest"


def week_starting(now: datetime) -> datetime:
    """Midnight (local time) at the start of the digest day of this week."""
    local = timezone.localtime(now)
    days_back = (local.weekday() - settings.FINGERPOST_NETWORK_DIGEST_WEEKDAY) % 7
    start = (local - timedelta(days=days_back)).replace(hour=0, minute=0, second=0, microsecond=0)
    return start


def send_weekly_digests(now: datetime | None = None) -> int:
    """Record this week's digest for everyone who chose it (once each)."""
    now = now or timezone.now()
    week = week_starting(now)
    recorded = 0
    with transaction.atomic():
        for profile in queries.digest_recipients().iterator(chunk_size=500):
            message = enqueue_email(
                subject="",
                body="",
                to=[profile.user.email],
                kind="network.digest",
                once_key=f"network:digest:{profile.user_id}:{week.date().isoformat()}",
                renderer=RENDERER,
                # It covers the seven days before it is recorded: the first sweep of
                # the week records it, so that is the week just gone.
                render_args={"user": profile.user_id, "until": now.isoformat()},
            )
            recorded += message is not None
    return recorded


def render_digest(*, user: int, until: str) -> Rendered | None:
    from .models import Profile

    profile = Profile.objects.select_related("user").filter(user_id=user).first()
    if profile is None or not profile.weekly_digest or not profile.user.is_active:
        return None
    end = datetime.fromisoformat(until)
    content = queries.digest_content(since=end - timedelta(days=7), until=end, user=profile.user)
    if content.is_empty:
        return None
    context = {
        "profile": profile,
        "content": content,
        "site": site_url(),
        "unsubscribe": unsubscribe_url(user, "digest"),
        "choices": site_url() + reverse("network:choices"),
    }
    return Rendered(
        subject=f"This week in the {settings.FINGERPOST_PARTNERSHIP_NAME} network",
        body=render_to_string("network/email/digest.txt", context),
        html=render_to_string("network/email/digest.html", context),
        headers=unsubscribe_headers(user, "digest"),
    )
