"""Recording a skills check (anonymously) and emailing its results."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from fingerpost.core.errors import Invalid, RateLimited
from fingerpost.core.mail import enqueue_email
from fingerpost.organisations.models import Area

from .framework import AREA_KEYS
from .models import SkillsCheckResult
from .results import Summary

# Emails one browser session may send, so the form cannot be used to flood an inbox.
EMAILS_PER_SESSION = 3


def record_result(
    *, summary: Summary, area: Area | None, result_id: int | None = None
) -> SkillsCheckResult:
    """Keep the anonymous totals of a finished check. Finishing again after
    changing an answer updates the same record, so one check counts once."""
    gaps = summary.gaps_by_area()
    values = {f"gaps_{key}": gaps[key] for key in AREA_KEYS}
    with transaction.atomic():
        result = (
            SkillsCheckResult.objects.select_for_update().filter(pk=result_id).first()
            if result_id
            else None
        )
        if result is None:
            return SkillsCheckResult.objects.create(area=area, **values)
        for name, value in values.items():
            setattr(result, name, value)
        result.area = area
        result.save()
    return result


def email_result(*, summary: Summary, to: str, sent_before: int) -> None:
    """Send the resident their results. The address is used for this email
    only: it is not stored with the result (the queued email itself is
    deleted with finished tasks, see FINGERPOST_TASK_RESULT_DAYS)."""
    if not to:
        raise Invalid("Enter your email address", field="email")
    if sent_before >= EMAILS_PER_SESSION:
        raise RateLimited("You have sent your results too many times", retry_after=3600)
    site = settings.FINGERPOST_SITE_URL.rstrip("/")
    body = render_to_string(
        "skills/email/result.txt",
        {
            "summary": summary,
            "service_name": settings.FINGERPOST_SERVICE_NAME,
            "find_help_url": site + reverse("directory:find_help"),
            "ask_url": site + reverse("helpdesk_public:get_help"),
            "contact_phone": settings.FINGERPOST_CONTACT_PHONE,
        },
    )
    with transaction.atomic():
        enqueue_email(subject="Your digital skills check", body=body, to=[to])
