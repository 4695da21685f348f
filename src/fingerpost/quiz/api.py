"""The quiz in the JSON API.

- Organisers (token or session): the question bank and quizzes, with the right
  answers; and the order of a quiz's questions (move up or down, remove).
- Players (no account): join a live session for a player token, then read
  what the phone would show and answer, sending `X-Quiz-Player: <token>`.
- Verified members: their organisation's submitted self-assessments.

Every write goes through quiz.services, exactly as the pages do.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import APIKeyHeader

from fingerpost.core.api_auth import token_or_session_auth
from fingerpost.core.api_common import BoundedLimitOffsetPagination, ErrorOut, api_user
from fingerpost.core.errors import Invalid, NotFound

from . import queries, screens, services, standard
from .models import Assessment, AssessmentStatus, Phase, Player, Question, Quiz

router = Router(tags=["quiz"])


# ------------------------------------------------------------ schemas


class ChoiceOut(Schema):
    id: int
    text: str
    correct: bool = Field(..., alias="is_correct")


class QuestionOut(Schema):
    id: int
    text: str
    point: int
    point_title: str
    explanation: str
    archived: bool
    choices: list[ChoiceOut]

    @staticmethod
    def resolve_point_title(obj: Question) -> str:
        return standard.point_title(obj.point)

    @staticmethod
    def resolve_choices(obj: Question) -> list[Any]:
        return list(obj.choices.all())


class QuizOut(Schema):
    id: int
    title: str
    seconds_per_question: int
    question_ids: list[int]

    @staticmethod
    def resolve_question_ids(obj: Quiz) -> list[int]:
        return [item.question_id for item in obj.items.all()]


class OrderIn(Schema):
    question: int = Field(..., ge=1, le=2**31 - 1, description="a question of the quiz")
    action: Literal["up", "down", "remove"]


class JoinIn(Schema):
    nickname: str = Field(..., max_length=200)


class JoinOut(Schema):
    token: str
    nickname: str


class LiveChoiceOut(Schema):
    id: int
    letter: str
    text: str
    correct: bool | None = None


class LiveOut(Schema):
    phase: str
    tag: str
    position: int
    questions: int
    remaining_ms: int
    question: str | None = None
    point: int | None = None
    explanation: str | None = None
    choices: list[LiveChoiceOut] = []
    answered_choice: int | None = None
    can_answer: bool = False
    nickname: str
    score: int | None = None
    rank: int | None = None


class AnswerIn(Schema):
    position: int = Field(..., ge=0, le=1000)
    choice: int = Field(..., ge=1, le=2**31 - 1)


class AnswerOut(Schema):
    accepted: bool
    position: int


class RatingOut(Schema):
    point: int
    rating: str
    evidence: str
    actions: str


class AssessmentOut(Schema):
    id: int
    organisation: str
    service_name: str
    submitted_at: datetime | None
    ratings: list[RatingOut]

    @staticmethod
    def resolve_organisation(obj: Assessment) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_ratings(obj: Assessment) -> list[Any]:
        return list(obj.ratings.all())


# ------------------------------------------------------------ organisers


@router.get("/questions", response=list[QuestionOut], auth=token_or_session_auth)
@paginate(BoundedLimitOffsetPagination)
def list_questions(request: HttpRequest, point: int | None = None) -> QuerySet[Question]:
    """The question bank, with the right answers (organisers); `point` filters by point."""
    api_user(request, "quiz.manage_questions")
    if point is not None and point not in standard.points():
        raise Invalid("The point must be a number from 1 to 14", field="point")
    return queries.question_bank(point=point)


@router.get(
    "/questions/{question_id}",
    response={200: QuestionOut, 404: ErrorOut},
    auth=token_or_session_auth,
)
def get_question(request: HttpRequest, question_id: int) -> Question:
    api_user(request, "quiz.manage_questions")
    found = queries.question(question_id) if 0 < question_id < 2**31 else None
    if found is None:
        raise NotFound("There is no such question")
    return found


@router.get("/quizzes", response=list[QuizOut], auth=token_or_session_auth)
@paginate(BoundedLimitOffsetPagination)
def list_quizzes(request: HttpRequest) -> QuerySet[Quiz]:
    api_user(request, "quiz.run_quiz")
    return queries.quiz_list().prefetch_related("items")


@router.get(
    "/quizzes/{quiz_id}", response={200: QuizOut, 404: ErrorOut}, auth=token_or_session_auth
)
def get_quiz(request: HttpRequest, quiz_id: int) -> Quiz:
    api_user(request, "quiz.run_quiz")
    found = queries.quiz_detail(quiz_id) if 0 < quiz_id < 2**31 else None
    if found is None:
        raise NotFound("There is no such quiz")
    return found


@router.post(
    "/quizzes/{quiz_id}/order",
    response={200: QuizOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=token_or_session_auth,
)
def change_order(request: HttpRequest, quiz_id: int, body: OrderIn) -> Quiz | None:
    """Move one question of the quiz up or down, or take it out (the quiz
    keeps at least one). Sessions already started keep their order."""
    user = api_user(request, "quiz.run_quiz")
    if not 0 < quiz_id < 2**31:
        raise NotFound("There is no such quiz")
    services.change_quiz_order(
        by=user, quiz_id=quiz_id, question_id=body.question, action=body.action
    )
    return queries.quiz_detail(quiz_id)


# ------------------------------------------------------------ players


class PlayerToken(APIKeyHeader):
    param_name = "X-Quiz-Player"

    def authenticate(self, request: HttpRequest, key: str | None) -> Player | None:
        return queries.player_by_token(key or "")


def _player(request: HttpRequest, code: str) -> Player:
    player = getattr(request, "auth", None)
    if not isinstance(player, Player) or player.session.code != code:
        raise NotFound("Join this quiz first")
    return player


@router.post(
    "/live/{code}/players", response={201: JoinOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
)
def join(request: HttpRequest, code: str, body: JoinIn) -> Status:
    """Join with a nickname; keep the token and send it as `X-Quiz-Player`."""
    if queries.session_by_code(code) is None:
        raise NotFound("There is no quiz with that code")
    player = services.join_session(code=code, nickname=body.nickname)
    return Status(201, {"token": player.token, "nickname": player.nickname})


@router.get("/live/{code}", response={200: LiveOut, 404: ErrorOut}, auth=PlayerToken())
def live(request: HttpRequest, code: str) -> dict[str, Any]:
    """What the player's phone shows now."""
    me = _player(request, code)
    context = screens.player(me.session, me)
    phase = context["phase"]
    revealed = phase == Phase.ANSWER
    mine = context.get("my_answer")
    standing = context.get("standing")
    question = context.get("question")
    return {
        "phase": phase,
        "tag": context["tag"],
        "position": me.session.position,
        "questions": me.session.question_count,
        "remaining_ms": context["remaining_ms"],
        "question": question.text if question else None,
        "point": question.point if question else None,
        "explanation": question.explanation if question and revealed else None,
        "choices": [
            {
                **{k: c[k] for k in ("id", "letter", "text")},
                "correct": c["correct"] if revealed else None,
            }
            for c in context.get("choices", [])
        ],
        "answered_choice": mine.choice_id if mine else None,
        "can_answer": phase == Phase.QUESTION and mine is None and not context.get("joined_late"),
        "nickname": me.shown_name,
        "score": standing.score if standing else None,
        "rank": standing.rank if standing else None,
    }


@router.post(
    "/live/{code}/answers",
    response={201: AnswerOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=PlayerToken(),
)
def answer(request: HttpRequest, code: str, body: AnswerIn) -> Status:
    """Answer the open question, once, before its deadline (by the server's clock)."""
    me = _player(request, code)
    services.answer(
        code=code,
        player_token=me.token,
        position=body.position,
        choice_id=body.choice,
        player=me,
    )
    return Status(201, {"accepted": True, "position": body.position})


# ------------------------------------------------------------ self-assessments


@router.get("/assessments", response=list[AssessmentOut], auth=token_or_session_auth)
@paginate(BoundedLimitOffsetPagination)
def list_assessments(request: HttpRequest) -> QuerySet[Assessment]:
    """Your organisations' submitted self-assessments, newest first."""
    user = api_user(request, "quiz.assess_service")
    return (
        queries.assessments_visible_to(user)
        .filter(status=AssessmentStatus.SUBMITTED)
        .select_related("organisation")
        .prefetch_related("ratings")
        .order_by("-submitted_at", "-id")
    )


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, 404: ErrorOut},
    auth=token_or_session_auth,
)
def get_assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    user = api_user(request, "quiz.assess_service")
    found = queries.assessment_detail(user, assessment_id) if 0 < assessment_id < 2**31 else None
    if found is None or found.status != AssessmentStatus.SUBMITTED:
        raise NotFound("There is no such assessment")
    return found
