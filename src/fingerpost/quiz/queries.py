"""Every read of the quiz, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce

from fingerpost.accounts.roles import Role, roles_of

from . import standard
from .models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Choice,
    LiveSession,
    Player,
    PointRating,
    Question,
    Quiz,
    QuizQuestion,
    Rating,
)

# ------------------------------------------------------------ the bank


def question_bank(*, point: int | None = None, archived: bool = False) -> QuerySet[Question]:
    questions = Question.objects.filter(archived=archived).prefetch_related("choices")
    if point:
        questions = questions.filter(point=point)
    return questions.order_by("point", "id")


def question(question_id: int) -> Question | None:
    return Question.objects.prefetch_related("choices").filter(pk=question_id).first()


def quiz_list() -> QuerySet[Quiz]:
    return Quiz.objects.annotate(question_count=Count("items")).order_by("-created_at", "-id")


def quiz_detail(quiz_id: int) -> Quiz | None:
    items = QuizQuestion.objects.select_related("question").prefetch_related("question__choices")
    return (
        Quiz.objects.prefetch_related(Prefetch("items", queryset=items)).filter(pk=quiz_id).first()
    )


# ------------------------------------------------------------ live sessions


def sessions_run_by(user: Any) -> QuerySet[LiveSession]:
    """The sessions a person may present and see the results of: their own;
    the operator sees all."""
    if getattr(user, "is_authenticated", False) and roles_of(user).is_admin:
        return LiveSession.objects.all()
    if not getattr(user, "is_authenticated", False):
        return LiveSession.objects.none()
    return LiveSession.objects.filter(host=user)


def session_list_for(user: Any) -> QuerySet[LiveSession]:
    return sessions_run_by(user).annotate(player_total=Count("players")).order_by("-created_at")


def session_by_code(code: str) -> LiveSession | None:
    if not code.isdigit() or len(code) > 8:
        return None
    return LiveSession.objects.filter(code=code).first()


def with_my_answer(player: Player | None) -> Player | None:
    """The player, with their score and their answer to the session's
    current question (`current_*`, None when there is none): all a phone's
    page needs of its player. The player's own few answers in a second,
    plain query: cheaper to build than one query with subqueries, and a
    room asks for it hundreds of times a second."""
    if player is None:
        return None
    rows = Answer.objects.filter(player_id=player.pk).values_list(
        "position", "points", "correct", "choice_id"
    )
    player.score = 0  # type: ignore[attr-defined]
    player.current_choice_id = player.current_points = player.current_correct = None  # type: ignore[attr-defined]
    for position, points, correct, choice_id in rows:
        player.score += points  # type: ignore[attr-defined]
        if position == player.session.position:
            player.current_choice_id = choice_id  # type: ignore[attr-defined]
            player.current_points = points  # type: ignore[attr-defined]
            player.current_correct = correct  # type: ignore[attr-defined]
    return player


def player_for(code: str, token: str) -> Player | None:
    """The player this device's token names, with `with_my_answer`'s fields."""
    return with_my_answer(player_in(code, token))


def player_in(code: str, token: str) -> Player | None:
    """The player with their session and nothing more (for answering)."""
    if not token or len(token) > 64:
        return None
    return Player.objects.select_related("session").filter(session__code=code, token=token).first()


def player_by_token(token: str) -> Player | None:
    if not token or len(token) > 64:
        return None
    return with_my_answer(Player.objects.select_related("session").filter(token=token).first())


def player_count(session: LiveSession) -> int:
    return Player.objects.filter(session=session).count()


def players(session: LiveSession) -> QuerySet[Player]:
    return Player.objects.filter(session=session).order_by("joined_at", "id")


def session_questions(session: LiveSession) -> list[Question]:
    by_id = {
        q.pk: q
        for q in Question.objects.filter(pk__in=session.question_ids).prefetch_related("choices")
    }
    return [by_id[qid] for qid in session.question_ids if qid in by_id]


def answer_count(session: LiveSession, position: int) -> int:
    return Answer.objects.filter(session=session, position=position).count()


def choice_counts(session: LiveSession, position: int) -> dict[int, int]:
    rows = (
        Answer.objects.filter(session=session, position=position)
        .values("choice_id")
        .annotate(n=Count("id"))
    )
    return {row["choice_id"]: row["n"] for row in rows}


def scored_players(session: LiveSession) -> QuerySet[Player]:
    """Every player with their score and number right, best first (ties: who joined first)."""
    return (
        Player.objects.filter(session=session)
        .annotate(
            score=Coalesce(Sum("answers__points"), 0, output_field=IntegerField()),
            right=Count("answers", filter=Q(answers__correct=True)),
            answered=Count("answers"),
        )
        .order_by("-score", "joined_at", "id")
    )


def leaderboard(session: LiveSession, *, limit: int = 5) -> list[Player]:
    return list(scored_players(session)[:limit])


@dataclass(frozen=True)
class Standing:
    score: int
    rank: int
    of: int


def standing(player: Player) -> Standing:
    """A player's score and place, in one query."""
    scores = list(
        Player.objects.filter(session_id=player.session_id)
        .annotate(score=Coalesce(Sum("answers__points"), 0, output_field=IntegerField()))
        .values_list("pk", "score")
    )
    mine = next((s for pk, s in scores if pk == player.pk), 0)
    return Standing(score=mine, rank=1 + sum(1 for _, s in scores if s > mine), of=len(scores))


@dataclass(frozen=True)
class QuestionResult:
    position: int
    question: Question
    answered: int
    right: int


def results_by_question(session: LiveSession) -> list[QuestionResult]:
    counts: dict[int, dict[str, int]] = {
        row["position"]: {"answered": row["answered"], "right": row["right"]}
        for row in Answer.objects.filter(session=session)
        .values("position")
        .annotate(answered=Count("id"), right=Count("id", filter=Q(correct=True)))
    }
    return [
        QuestionResult(
            position=n,
            question=q,
            answered=counts.get(n, {}).get("answered", 0),
            right=counts.get(n, {}).get("right", 0),
        )
        for n, q in enumerate(session_questions(session))
        if n <= max(session.position, -1)
    ]


@dataclass(frozen=True)
class PointResult:
    point: int
    title: str
    answered: int
    right: int

    @property
    def percent_right(self) -> int:
        return round(100 * self.right / self.answered) if self.answered else 0


def results_by_point(session: LiveSession) -> list[PointResult]:
    """The room's answers grouped by Service Standard point, weakest first."""
    rows = (
        Answer.objects.filter(session=session)
        .values("question__point")
        .annotate(answered=Count("id"), right=Count("id", filter=Q(correct=True)))
    )
    results = [
        PointResult(
            point=row["question__point"],
            title=standard.point_title(row["question__point"]),
            answered=row["answered"],
            right=row["right"],
        )
        for row in rows
    ]
    return sorted(results, key=lambda r: (r.percent_right, r.point))


def answers_for_export(session: LiveSession) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(session=session)
        .select_related("player", "question", "choice")
        .order_by("player__joined_at", "player_id", "position")
    )


# ------------------------------------------------------------ self-assessments


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    """An organisation's assessments are seen only by its own verified members."""
    if not getattr(user, "is_authenticated", False):
        return Assessment.objects.none()
    ids = roles_of(user).organisations_for(Role.MEMBER)
    return Assessment.objects.filter(organisation_id__in=ids)


def assessment_list_for(user: Any) -> QuerySet[Assessment]:
    return (
        assessments_visible_to(user)
        .select_related("organisation")
        .order_by("organisation__name", "service_name", "-created_at")
    )


def assessment_detail(user: Any, assessment_id: int) -> Assessment | None:
    return (
        assessments_visible_to(user)
        .select_related("organisation", "created_by")
        .prefetch_related("ratings")
        .filter(pk=assessment_id)
        .first()
    )


def latest_submitted(*, organisation_id: int, service_name: str) -> Assessment | None:
    return (
        Assessment.objects.filter(
            organisation_id=organisation_id,
            service_name__iexact=service_name,
            status=AssessmentStatus.SUBMITTED,
        )
        .prefetch_related("ratings")
        .order_by("-submitted_at", "-id")
        .first()
    )


def service_history(assessment: Assessment) -> list[Assessment]:
    """Every submitted assessment of the same service, oldest first, with ratings."""
    return list(
        Assessment.objects.filter(
            organisation_id=assessment.organisation_id,
            service_name__iexact=assessment.service_name,
            status=AssessmentStatus.SUBMITTED,
        )
        .prefetch_related("ratings")
        .order_by("submitted_at", "id")
    )


@dataclass(frozen=True)
class PointComparison:
    point: int
    title: str
    counts: dict[str, int]  # rating -> number of services


def comparison_across_organisations() -> tuple[list[PointComparison], int, int]:
    """For each point, how many services (the latest submitted assessment of
    each) rate it met, partly met, not met or not applicable; with the number
    of services and of organisations. No organisation is named."""
    latest = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED).exclude(
        Exists(
            Assessment.objects.filter(
                status=AssessmentStatus.SUBMITTED,
                organisation_id=OuterRef("organisation_id"),
                service_name__iexact=OuterRef("service_name"),
                submitted_at__gt=OuterRef("submitted_at"),
            )
        )
    )
    totals = latest.aggregate(
        services=Count("id"), organisations=Count("organisation", distinct=True)
    )
    rows = (
        PointRating.objects.filter(assessment__in=latest)
        .values("point", "rating")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[str, int]] = {
        p: {r: 0 for r in Rating.values} for p in standard.points()
    }
    for row in rows:
        if row["rating"] in Rating.values:
            counts[row["point"]][row["rating"]] = row["n"]
    return (
        [PointComparison(p, standard.point_title(p), counts[p]) for p in standard.points()],
        totals["services"] or 0,
        totals["organisations"] or 0,
    )


def choices_for(question_id: int) -> QuerySet[Choice]:
    return Choice.objects.filter(question_id=question_id).order_by("position")
