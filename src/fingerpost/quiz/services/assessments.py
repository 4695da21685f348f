"""Self-assessments: a team (verified members of an organisation) rates one
of its services against each of the 14 points, saves drafts and submits.
Only the organisation's own members ever see its answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from fingerpost.accounts.roles import Role, roles_of
from fingerpost.core.errors import Conflict, Invalid, NotAllowed, NotFound
from fingerpost.core.text import visible_lines, visible_text

from .. import queries, records, standard
from ..models import Assessment, AssessmentStatus, PointRating, Rating

MAX_TEXT = 2000


def start_assessment(*, by: Any, organisation_id: int, service_name: str) -> Assessment:
    """A new draft; the service's last submitted ratings are copied in as a starting point."""
    if organisation_id not in roles_of(by).organisations_for(Role.MEMBER):
        raise NotAllowed("Only verified members of an organisation can assess its services")
    name = visible_text(service_name)
    if not name:
        raise Invalid("Enter the name of the service", field="service_name")
    if len(name) > 120:
        raise Invalid("The name must be 120 characters or fewer", field="service_name")
    with transaction.atomic():
        previous = queries.latest_submitted(organisation_id=organisation_id, service_name=name)
        assessment = Assessment.objects.create(
            organisation_id=organisation_id, service_name=name, created_by=by
        )
        earlier = {r.point: r for r in previous.ratings.all()} if previous else {}
        PointRating.objects.bulk_create(
            PointRating(
                assessment=assessment,
                point=point,
                rating=earlier[point].rating if point in earlier else "",
                evidence=earlier[point].evidence if point in earlier else "",
                actions=earlier[point].actions if point in earlier else "",
            )
            for point in standard.points()
        )
        records.record(
            actor=by,
            action="quiz.assessment_started",
            subject_type="quiz_assessment",
            reference=str(assessment.pk),
        )
    return assessment


def _draft(by: Any, assessment_id: int) -> Assessment:
    assessment = (
        queries.assessments_visible_to(by).select_for_update().filter(pk=assessment_id).first()
    )
    if assessment is None:
        raise NotFound("There is no such assessment")
    if assessment.status != AssessmentStatus.DRAFT:
        raise Conflict("This assessment has been submitted. Start a new one to change it")
    return assessment


def save_assessment(
    *, by: Any, assessment_id: int, ratings: Mapping[int, tuple[str, str, str]]
) -> Assessment:
    """Save a draft: for each point, (rating or "", evidence, actions)."""
    cleaned: dict[int, tuple[str, str, str]] = {}
    for point, (rating, evidence, actions) in ratings.items():
        if point not in standard.points():
            raise Invalid("Rate the 14 points of the Service Standard", field="ratings")
        if rating and rating not in Rating.values:
            raise Invalid(f"Choose a rating for point {point}", field=f"rating_{point}")
        evidence, actions = visible_lines(evidence), visible_lines(actions)
        if len(evidence) > MAX_TEXT or len(actions) > MAX_TEXT:
            raise Invalid(
                f"Evidence and actions must be {MAX_TEXT} characters or fewer",
                field=f"evidence_{point}",
            )
        cleaned[point] = (rating, evidence, actions)
    with transaction.atomic():
        assessment = _draft(by, assessment_id)
        for row in assessment.ratings.all():
            if row.point in cleaned:
                row.rating, row.evidence, row.actions = cleaned[row.point]
                row.save(update_fields=["rating", "evidence", "actions"])
        assessment.save(update_fields=["updated_at"])
    return assessment


def submit_assessment(*, by: Any, assessment_id: int) -> Assessment:
    with transaction.atomic():
        assessment = _draft(by, assessment_id)
        missing = [r.point for r in assessment.ratings.all() if not r.rating]
        if missing:
            listed = ", ".join(str(p) for p in missing)
            raise Invalid(
                f"Rate every point before submitting (not yet rated: {listed})", field="ratings"
            )
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["status", "submitted_at", "updated_at"])
        records.record(
            actor=by,
            action="quiz.assessment_submitted",
            subject_type="quiz_assessment",
            reference=str(assessment.pk),
        )
    return assessment
