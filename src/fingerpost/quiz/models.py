"""The question bank, quizzes, live sessions with their players and answers,
and teams' self-assessments against the Service Standard.

A live session's state (phase, current question, deadline) is a database
row, so every app server and process sees the same game; `version` grows
with every change the presenter makes, which is what players poll for.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

POINT_VALIDATORS = [MinValueValidator(1), MaxValueValidator(14)]


class Question(models.Model):
    text = models.CharField(max_length=300)
    point = models.PositiveSmallIntegerField(validators=POINT_VALIDATORS)
    explanation = models.TextField(max_length=1000)
    # Set for the starter bank, so loading it again updates rather than duplicates.
    starter_key = models.CharField(max_length=40, blank=True, default="")
    archived = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["point", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["starter_key"],
                condition=~models.Q(starter_key=""),
                name="quiz_question_starter_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(point__gte=1, point__lte=14), name="quiz_question_point_1_to_14"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=150)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="quiz_choice_position")
        ]

    def __str__(self) -> str:
        return self.text


class Quiz(models.Model):
    title = models.CharField(max_length=120)
    seconds_per_question = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "position"], name="quiz_item_position"),
            models.UniqueConstraint(fields=["quiz", "question"], name="quiz_item_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id}: {self.position}"


class Phase(models.TextChoices):
    LOBBY = "lobby", "Waiting for players"
    QUESTION = "question", "Question"
    # A question whose time is up is shown as "answer" (see live.effective_phase).
    ANSWER = "answer", "Answer"
    LEADERBOARD = "leaderboard", "Leaderboard"
    FINISHED = "finished", "Podium"


class LiveSession(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="sessions")
    code = models.CharField(max_length=8, unique=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=120)
    # The quiz's questions when the session started, so editing the quiz later
    # never changes a game being played or its results.
    question_ids = models.JSONField(default=list)
    seconds_per_question = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.LOBBY)
    position = models.SmallIntegerField(default=-1)  # -1 before the first question
    question_started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    show_points_chart = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When its players' nicknames were replaced (see services.retention).
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def question_count(self) -> int:
        return len(self.question_ids)


class Player(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="players")
    nickname = models.CharField(max_length=20)
    # The player's device keeps this in a cookie: reloading, or coming back
    # after losing signal, finds the same player and score.
    token = models.CharField(max_length=43, unique=True)
    hidden = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "session", Lower("nickname"), name="quiz_player_nickname_unique"
            )
        ]

    def __str__(self) -> str:
        return self.nickname

    @property
    def shown_name(self) -> str:
        return f"Player {self.pk}" if self.hidden else self.nickname


class Answer(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="answers")
    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="+")
    correct = models.BooleanField()
    points = models.PositiveIntegerField()
    elapsed_ms = models.PositiveIntegerField()
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            # An answer counts once: the database refuses a second one.
            models.UniqueConstraint(fields=["player", "position"], name="quiz_answer_once")
        ]
        indexes = [models.Index(fields=["session", "position"], name="quiz_answer_session_pos")]

    def __str__(self) -> str:
        return f"{self.player_id} at {self.position}"


class Rating(models.TextChoices):
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "n_a", "Not applicable"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Assessment(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    service_name = models.CharField(max_length=120)
    status = models.CharField(
        max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "service_name"], name="quiz_assess_service")
        ]

    def __str__(self) -> str:
        return self.service_name


class PointRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    point = models.PositiveSmallIntegerField(validators=POINT_VALIDATORS)
    rating = models.CharField(max_length=8, choices=Rating.choices, blank=True, default="")
    evidence = models.TextField(max_length=2000, blank=True, default="")
    actions = models.TextField(max_length=2000, blank=True, default="")

    class Meta:
        ordering = ["point"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "point"], name="quiz_rating_point_once")
        ]

    def __str__(self) -> str:
        return f"{self.point}: {self.rating}"
