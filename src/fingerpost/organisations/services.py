"""Vetting: how an account becomes a verified member of an organisation.

A new account is only a person with a login. It joins an organisation,
verified, when its confirmed email address is at a domain on that
organisation's allow-list (`EmailDomain`); otherwise the person asks to join
one, and a coordinator of that organisation (or an administrator) approves or
declines. The person is told what happens next, the approvers are told that
someone is waiting, and every decision is in the audit log.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role, forget_roles, roles_of
from fingerpost.core import audit
from fingerpost.core.errors import Conflict, Invalid, NotAllowed
from fingerpost.core.mail import enqueue_email
from fingerpost.core.models import AuditAction

from . import queries
from .models import EmailDomain, Membership, Organisation, Verification

SUBJECT = "membership"


def _site(path: str) -> str:
    return f"{settings.FINGERPOST_SITE_URL.rstrip('/')}{path}"


def _email(*, to: list[str], subject: str, template: str, context: dict[str, object]) -> None:
    if not to:
        return
    enqueue_email(
        subject=subject,
        body=render_to_string(
            f"organisations/email/{template}.txt",
            {"service_name": settings.FINGERPOST_SERVICE_NAME, **context},
        ),
        to=to,
        kind=f"organisations.{template}",
    )


def join_by_email_domain(*, user: User, email: str) -> Membership | None:
    """Called once an address is confirmed: an address at an allow-listed
    domain makes its owner a verified member of that organisation."""
    domain = email.strip().lower().rpartition("@")[2]
    allowed = EmailDomain.objects.select_related("organisation").filter(domain=domain).first()
    if allowed is None or not user.is_active:
        return None
    with transaction.atomic():
        membership, _ = Membership.objects.select_for_update().get_or_create(
            user=user, organisation=allowed.organisation
        )
        if membership.verified_at is None:
            membership.verified_at = timezone.now()
            membership.verification = Verification.EMAIL_DOMAIN
            membership.save(update_fields=["verified_at", "verification"])
            audit.record(
                actor=None,
                action=AuditAction.CHANGE,
                subject_type=SUBJECT,
                reference=str(membership.pk),
                detail=f"verified by email domain {domain}",
            )
            _email(
                to=[user.email],
                subject=f"You are a member of {allowed.organisation.name}",
                template="verified",
                context={
                    "membership": membership,
                    "dashboard_url": _site(reverse("core:dashboard")),
                },
            )
    forget_roles(user)
    return membership


def request_membership(
    *, user: User, organisation: Organisation, job_title: str = "", by: User
) -> Membership:
    """Ask to join an organisation; its coordinators and the administrators
    are told someone is waiting, and the person what happens next."""
    if by.pk != user.pk:
        raise NotAllowed("You can only ask to join for yourself")
    job_title = " ".join(job_title.split())[:200]
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user, organisation=organisation, defaults={"job_title": job_title}
        )
        if membership.verified_at is not None:
            raise Conflict(f"You are already a member of {organisation.name}")
        if not created:
            raise Conflict(f"You have already asked to join {organisation.name}")
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            subject_type=SUBJECT,
            reference=str(membership.pk),
            detail=f"asked to join {organisation.name}",
        )
        approvers = [person.email for person in queries.approvers_for(organisation)]
        _email(
            to=approvers,
            subject=f"Someone is waiting to join {organisation.name}",
            template="waiting",
            context={
                "membership": membership,
                "approvals_url": _site(reverse("organisations:approvals")),
            },
        )
        _email(
            to=[user.email],
            subject=f"Your request to join {organisation.name}",
            template="requested",
            context={"membership": membership, "approvers": len(approvers)},
        )
    return membership


def may_approve(user: User, membership: Membership) -> bool:
    """Administrators approve anyone; a coordinator approves people asking to
    join the organisation they coordinate (or one of its branches)."""
    roles = roles_of(user)
    if roles.is_admin:
        return True
    return (
        queries.organisations_where(user, Role.COORDINATOR)
        .filter(pk=membership.organisation_id)
        .exists()
    )


def decide_membership(*, membership_id: int, approve: bool, by: User) -> Membership:
    """Approve or decline a waiting membership; the person is told either way."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "organisation")
            .filter(pk=membership_id)
            .first()
        )
        if membership is None or not may_approve(by, membership):
            raise NotAllowed("You cannot decide who joins that organisation")
        if membership.user_id == by.pk:
            raise Invalid("Someone else must approve your own membership")
        if membership.verified_at is not None:
            raise Conflict(f"{membership.user} is already a member")
        organisation = membership.organisation
        if approve:
            membership.verified_at = timezone.now()
            membership.verified_by = by
            membership.verification = Verification.APPROVAL
            membership.save(update_fields=["verified_at", "verified_by", "verification"])
        audit.record(
            actor=by,
            action=AuditAction.CHANGE,
            subject_type=SUBJECT,
            reference=str(membership.pk),
            detail=f"{'approved' if approve else 'declined'} {membership.user.email} "
            f"at {organisation.name}",
        )
        _email(
            to=[membership.user.email],
            subject=f"Your request to join {organisation.name}",
            template="approved" if approve else "declined",
            context={"membership": membership, "dashboard_url": _site(reverse("core:dashboard"))},
        )
        if not approve:
            membership.delete()
    forget_roles(membership.user)
    return membership
