"""Every change to the champions network: interest and invitations, profiles,
training and checks, assignments (refused for a champion whose check has
expired, who is paused or full), answers, sessions and closing.

Changes to a help request go through the help desk's services, so its
timeline, version checks and audit apply; the champion's load is counted
under a lock on their profile, so two coordinators assigning at once can
never put anyone over their limit."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import forget_roles
from fingerpost.core import audit
from fingerpost.core.errors import Conflict, Invalid, NotAllowed, ServiceError
from fingerpost.core.mail import enqueue_email
from fingerpost.core.models import AuditAction
from fingerpost.core.text import email_address, visible_text
from fingerpost.helpdesk import queries as helpdesk_queries
from fingerpost.helpdesk import services as helpdesk
from fingerpost.helpdesk.models import HelpRequest, Outcome, Status
from fingerpost.organisations.models import Area, Membership, Organisation, Verification
from fingerpost.organisations.queries import area_for

from . import queries
from .models import (
    Assignment,
    AssignmentState,
    BackgroundCheck,
    ChampionProfile,
    CheckKind,
    Confidence,
    HelpSession,
    Interest,
    InterestStatus,
    SessionMode,
    Skill,
    Way,
    availability_choices,
)

SUBJECT = "champion"
SLOTS = {value for value, _ in availability_choices()}


def _audit(by: User | None, reference: str, detail: str, action: str = AuditAction.CHANGE) -> None:
    audit.record(actor=by, action=action, subject_type=SUBJECT, reference=reference, detail=detail)


def _site(path: str) -> str:
    return f"{settings.FINGERPOST_SITE_URL}{path}"


def _choices(values: Any, allowed: Any, field: str, message: str) -> list[str]:
    chosen = list(dict.fromkeys(values or []))
    if any(v not in allowed for v in chosen):
        raise Invalid(message, field=field)
    return chosen


# ---------------------------------------------------------------- recruitment


@dataclass(frozen=True)
class InterestAnswers:
    name: str
    email: str
    phone: str
    postcode_or_town: str
    skills: list[str]
    languages: str
    ways: list[str]
    availability: list[str]
    why: str = ""


def express_interest(*, answers: InterestAnswers) -> Interest:
    """Someone offers to volunteer, from the public question pages."""
    name = visible_text(answers.name)[:150]
    if not name:
        raise Invalid("Enter your name", field="name")
    email = email_address(answers.email)
    if not answers.postcode_or_town.strip():
        raise Invalid("Enter your postcode or town", field="postcode_or_town")
    with transaction.atomic():
        interest = Interest.objects.create(
            name=name,
            email=email,
            phone=answers.phone.strip()[:30],
            postcode_or_town=answers.postcode_or_town.strip()[:100],
            area=area_for(answers.postcode_or_town),
            skills=_choices(
                answers.skills, Skill.values, "skills", "Choose what you could help with"
            ),
            languages=answers.languages.strip()[:200],
            ways=_choices(answers.ways, Way.values, "ways", "Choose how you could help"),
            availability=_choices(answers.availability, SLOTS, "availability", "Choose when"),
            why=answers.why.strip()[:2000],
        )
        enqueue_email(
            subject="Thank you for offering to be a digital champion",
            body=render_to_string("champions/email/interest_received.txt", {"interest": interest}),
            to=[email],
            kind="champions.interest",
        )
    return interest


def invite(*, interest: Interest, by: User, organisation: Organisation) -> ChampionProfile:
    """Take someone's offer forward: an account (if they have none), the
    champion role at the host organisation and a profile from their answers.
    They cannot be assigned anything until a background check is recorded."""
    with transaction.atomic():
        interest = Interest.objects.select_for_update().get(pk=interest.pk)
        if interest.status != InterestStatus.NEW:
            raise Conflict("This offer has already been dealt with")
        user = queries.person_with_email(interest.email)
        if user is None:
            user = User.objects.create_user(email=interest.email, full_name=interest.name)
        membership, _ = Membership.objects.get_or_create(
            user=user,
            organisation=organisation,
            defaults={"verified_at": timezone.now(), "verification": Verification.APPROVAL},
        )
        if membership.verified_at is None:
            membership.verified_at = timezone.now()
            membership.verification = Verification.APPROVAL
            membership.verified_by = by
        membership.is_champion = True
        membership.save()
        forget_roles(user)
        profile, _ = ChampionProfile.objects.get_or_create(
            user=user,
            defaults={
                "organisation": organisation,
                "skills": interest.skills,
                "languages": interest.languages,
                "ways": interest.ways,
                "availability": interest.availability,
            },
        )
        if interest.area_id:
            profile.areas.add(interest.area_id)
        Interest.objects.filter(pk=interest.pk).update(
            status=InterestStatus.INVITED, reviewed_by=by, reviewed_at=timezone.now()
        )
        _audit(by, str(profile.pk), f"invited {user.email} to {organisation.slug}")
        enqueue_email(
            subject="You are invited to be a digital champion",
            body=render_to_string(
                "champions/email/invited.txt",
                {
                    "name": interest.name,
                    "organisation": organisation,
                    "reset_url": _site(reverse("account_reset_password")),
                    "profile_url": _site(reverse("champions:my_profile")),
                },
            ),
            to=[user.email],
            kind="champions.invited",
        )
    return profile


def not_taken_forward(*, interest: Interest, by: User) -> None:
    with transaction.atomic():
        updated = Interest.objects.filter(pk=interest.pk, status=InterestStatus.NEW).update(
            status=InterestStatus.NOT_TAKEN_FORWARD, reviewed_by=by, reviewed_at=timezone.now()
        )
        if not updated:
            raise Conflict("This offer has already been dealt with")
        _audit(by, f"interest-{interest.pk}", "not taken forward")


# ---------------------------------------------------------------- profiles


def set_up_profile(*, user: User, organisation: Organisation, by: User) -> ChampionProfile:
    """A profile for someone who already holds the champion role."""
    with transaction.atomic():
        profile, created = ChampionProfile.objects.get_or_create(
            user=user, defaults={"organisation": organisation}
        )
        if created:
            _audit(by, str(profile.pk), "profile set up")
    return profile


def update_profile(
    *,
    profile: ChampionProfile,
    by: User,
    skills: list[str],
    languages: str,
    areas: list[Area],
    ways: list[str],
    availability: list[str],
    max_active: int,
) -> ChampionProfile:
    skills = _choices(skills, Skill.values, "skills", "Choose skills from the list")
    ways = _choices(ways, Way.values, "ways", "Choose ways of helping from the list")
    availability = _choices(availability, SLOTS, "availability", "Choose times from the list")
    if not skills:
        raise Invalid("Choose at least one thing you can help with", field="skills")
    if not ways:
        raise Invalid("Choose at least one way you can help", field="ways")
    if not 1 <= max_active <= 20:
        raise Invalid("Enter a number of requests from 1 to 20", field="max_active")
    with transaction.atomic():
        profile = ChampionProfile.objects.select_for_update().get(pk=profile.pk)
        profile.skills = skills
        profile.languages = languages.strip()[:200]
        profile.ways = ways
        profile.availability = availability
        profile.max_active = max_active
        profile.save()
        profile.areas.set(areas)
        _audit(by, str(profile.pk), "profile changed")
    return profile


def set_paused(*, profile: ChampionProfile, by: User, paused: bool, note: str = "") -> None:
    with transaction.atomic():
        ChampionProfile.objects.filter(pk=profile.pk).update(
            paused=paused, paused_note=note.strip()[:200] if paused else ""
        )
        _audit(by, str(profile.pk), "paused" if paused else "back from a pause")


def add_training(
    *, profile: ChampionProfile, by: User, course: str, completed_on: date, provider: str
) -> None:
    if not course.strip():
        raise Invalid("Enter the course", field="course")
    if not provider.strip():
        raise Invalid("Enter who provided it", field="provider")
    if completed_on > timezone.localdate():
        raise Invalid("The date must be today or in the past", field="completed_on")
    with transaction.atomic():
        profile.training.create(
            course=course.strip()[:200],
            completed_on=completed_on,
            provider=provider.strip()[:200],
            recorded_by=by,
        )
        _audit(by, str(profile.pk), f"training recorded: {course.strip()[:100]}")


def add_check(
    *, profile: ChampionProfile, by: User, kind: str, checked_on: date, expires_on: date
) -> None:
    if kind not in CheckKind.values:
        raise Invalid("Choose the kind of check", field="kind")
    if checked_on > timezone.localdate():
        raise Invalid("The date of the check must be today or in the past", field="checked_on")
    if expires_on <= checked_on:
        raise Invalid("The expiry date must be after the date of the check", field="expires_on")
    with transaction.atomic():
        profile = ChampionProfile.objects.select_for_update().get(pk=profile.pk)
        BackgroundCheck.objects.create(
            profile=profile, kind=kind, checked_on=checked_on, expires_on=expires_on, recorded_by=by
        )
        latest = profile.checks.order_by("-expires_on").values_list("expires_on", flat=True)[0]
        ChampionProfile.objects.filter(pk=profile.pk).update(check_expires_on=latest)
        _audit(by, str(profile.pk), f"check recorded: {kind}, expires {expires_on}")


# ---------------------------------------------------------------- assignment


def lock_for_assignment(*, champion: User, help_request: HelpRequest) -> ChampionProfile:
    """Refuse a champion who cannot take the request now. Called inside the
    help desk's assignment transaction; the profile row stays locked until it
    commits, so a second assignment to the same champion waits and then
    counts this one."""
    profile = ChampionProfile.objects.select_for_update().filter(user=champion).first()
    if profile is None:
        raise Invalid("This champion has no profile yet, so cannot be assigned", field="champion")
    today = timezone.localdate()
    if profile.check_expires_on is None:
        raise Invalid(
            "This champion has no background check recorded, so cannot be assigned",
            field="champion",
        )
    if profile.check_expires_on < today:
        raise Invalid(
            f"This champion's background check expired on {profile.check_expires_on:%-d %B %Y}, "
            "so they cannot be assigned",
            field="champion",
        )
    if profile.paused:
        raise Invalid("This champion has paused, so cannot be assigned", field="champion")
    load = (
        HelpRequest.objects.filter(assigned_to=champion, anonymised_at__isnull=True)
        .exclude(status=Status.CLOSED)
        .exclude(pk=help_request.pk)
        .count()
    )
    if load >= profile.max_active:
        raise Conflict(
            f"This champion already has {load} of {profile.max_active} requests, "
            "so cannot take another",
            field="champion",
        )
    return profile


def record_offer(*, help_request: HelpRequest, champion: User, by: User | None) -> Assignment:
    """After the help desk assigned the request: the champion is asked to
    accept or decline. Called in the same transaction."""
    Assignment.objects.filter(
        help_request=help_request, state__in=[AssignmentState.OFFERED, AssignmentState.ACCEPTED]
    ).update(state=AssignmentState.ENDED, answered_at=timezone.now())
    assignment = Assignment.objects.create(
        help_request=help_request, champion=champion, offered_by=by
    )
    enqueue_email(
        subject=f"Can you help? Request {help_request.reference}",
        body=render_to_string(
            "champions/email/offered.txt",
            {
                "request": help_request,
                "url": _site(reverse("champions:request", args=[help_request.reference])),
            },
        ),
        to=[champion.email],
        kind="champions.offered",
        about=("help_request", help_request.reference),
    )
    return assignment


def assign(
    *, help_request: HelpRequest, champion: User, by: User, expected_version: int
) -> HelpRequest:
    """Offer a request to a champion (the help desk's assignment, with every check)."""
    return helpdesk.assign(
        request=help_request, by=by, expected_version=expected_version, champion=champion
    )


def accept(*, assignment: Assignment, by: User) -> Assignment:
    if assignment.champion_id != by.pk:
        raise NotAllowed("Only the champion asked can answer")
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.state != AssignmentState.OFFERED:
            raise Conflict("You have already answered")
        helpdesk.record_champion_answer(request=assignment.help_request, by=by, accepted=True)
        assignment.state = AssignmentState.ACCEPTED
        assignment.answered_at = timezone.now()
        assignment.save(update_fields=["state", "answered_at"])
        ChampionProfile.objects.filter(user=by).update(last_activity_at=timezone.now())
    return assignment


def decline(*, assignment: Assignment, by: User, reason: str) -> Assignment:
    """The request goes back to the queue with the reason on its timeline;
    the next suggestions for it leave this champion out."""
    if assignment.champion_id != by.pk:
        raise NotAllowed("Only the champion asked can answer")
    reason = visible_text(reason)
    if not reason:
        raise Invalid("Say why you cannot take this request", field="reason")
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.state != AssignmentState.OFFERED:
            raise Conflict("You have already answered")
        request = helpdesk.record_champion_answer(
            request=assignment.help_request, by=by, accepted=False, reason=reason
        )
        assignment.state = AssignmentState.DECLINED
        assignment.answered_at = timezone.now()
        assignment.decline_reason = reason[:500]
        assignment.save(update_fields=["state", "answered_at", "decline_reason"])
        ChampionProfile.objects.filter(user=by).update(last_activity_at=timezone.now())
        coordinators = helpdesk_queries.coordinator_emails(request.organisation_id)
        if coordinators:
            enqueue_email(
                subject=f"Request {request.reference} is back in the queue",
                body=render_to_string(
                    "champions/email/declined.txt",
                    {
                        "request": request,
                        "url": _site(reverse("champions:suggestions", args=[request.reference])),
                    },
                ),
                to=coordinators,
                kind="champions.declined",
                about=("help_request", request.reference),
            )
    return assignment


@dataclass
class BulkResult:
    assigned: list[str]
    refused: list[tuple[str, str]]


def confirm_proposals(*, by: User, choices: list[tuple[str, int, int]]) -> BulkResult:
    """Assign each chosen (reference, champion id, version) in its own
    transaction: one refusal (someone got there first, a champion filled up)
    leaves the others done."""
    result = BulkResult([], [])
    visible = helpdesk_queries.records_visible_to(by)
    for reference, champion_id, version in choices:
        help_request = visible.filter(reference=reference).first()
        champion = User.objects.filter(pk=champion_id, is_active=True).first()
        if help_request is None or champion is None:
            result.refused.append((reference, "not found"))
            continue
        try:
            assign(help_request=help_request, champion=champion, by=by, expected_version=version)
        except ServiceError as error:
            result.refused.append((reference, str(error)))
        else:
            result.assigned.append(reference)
    return result


# ---------------------------------------------------------------- sessions


def _accepted(assignment: Assignment, by: User) -> Assignment:
    if assignment.champion_id != by.pk:
        raise NotAllowed("Only the champion working on this request can do that")
    assignment = (
        Assignment.objects.select_for_update().select_related("help_request").get(pk=assignment.pk)
    )
    if assignment.state == AssignmentState.OFFERED:
        raise Conflict("Accept the request first")
    if assignment.state != AssignmentState.ACCEPTED:
        raise Conflict("This request is no longer yours")
    return assignment


def log_session(
    *,
    assignment: Assignment,
    by: User,
    given_on: date,
    minutes: int,
    mode: str,
    skills: list[str],
    note: str = "",
    another_wanted: bool = False,
    next_session_on: date | None = None,
    confidence_before: int,
    confidence_after: int,
) -> HelpSession:
    """A session the champion gave: counted in their hours, and on the
    request's timeline (with the note) as contact with the resident."""
    today = timezone.localdate()
    if given_on > today:
        raise Invalid("The date must be today or in the past", field="given_on")
    if given_on < today - timedelta(days=365):
        raise Invalid("The date must be within the last year", field="given_on")
    if not 5 <= minutes <= 600:
        raise Invalid("Enter a length from 5 to 600 minutes", field="minutes")
    if mode not in SessionMode.values:
        raise Invalid("Choose how the session was given", field="mode")
    skills = _choices(skills, Skill.values, "skills", "Choose skills from the list")
    for value, field in (
        (confidence_before, "confidence_before"),
        (confidence_after, "confidence_after"),
    ):
        if value not in Confidence.values:
            raise Invalid("Choose how confident the resident was", field=field)
    if next_session_on is not None and next_session_on < today:
        raise Invalid("The next session must be today or later", field="next_session_on")
    with transaction.atomic():
        assignment = _accepted(assignment, by)
        profile = ChampionProfile.objects.get(user=by)
        session = HelpSession.objects.create(
            champion=by,
            organisation_id=profile.organisation_id,
            help_request=assignment.help_request,
            given_on=given_on,
            minutes=minutes,
            mode=mode,
            skills=skills,
            another_wanted=another_wanted,
            confidence_before=confidence_before,
            confidence_after=confidence_after,
        )
        request = assignment.help_request
        summary = (
            f"Session on {given_on:%-d %B %Y}, {minutes} minutes, "
            f"{SessionMode(mode).label.lower()}. Confidence {confidence_before} to "
            f"{confidence_after} out of 4." + (" Another session wanted." if another_wanted else "")
        )
        note = visible_text(note)[:1000]
        helpdesk.record_contact(
            request=request,
            by=by,
            expected_version=HelpRequest.objects.get(pk=request.pk).version,
            reached=True,
            note=f"{summary} {note}".strip(),
        )
        Assignment.objects.filter(pk=assignment.pk).update(
            next_session_on=next_session_on if another_wanted else None
        )
        ChampionProfile.objects.filter(pk=profile.pk).update(last_activity_at=timezone.now())
    return session


def close_request(*, assignment: Assignment, by: User, outcome: str, detail: str) -> HelpRequest:
    if outcome not in Outcome.values or outcome == Outcome.WITHDRAWN:
        raise Invalid("Choose an outcome", field="outcome")
    with transaction.atomic():
        assignment = _accepted(assignment, by)
        request = HelpRequest.objects.get(pk=assignment.help_request_id)
        request = helpdesk.close(
            request=request,
            by=by,
            expected_version=request.version,
            outcome=outcome,
            detail=detail,
        )
        Assignment.objects.filter(pk=assignment.pk).update(
            state=AssignmentState.ENDED, next_session_on=None
        )
        ChampionProfile.objects.filter(user=by).update(last_activity_at=timezone.now())
    return request


def record_viewed(help_request: HelpRequest, *, by: User, via: str) -> None:
    helpdesk.record_viewed(help_request, by=by, via=via)
