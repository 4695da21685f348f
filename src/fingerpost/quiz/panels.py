from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from fingerpost.core.registry import Link, Section

if TYPE_CHECKING:
    from fingerpost.accounts.models import User


def quiz(user: User) -> Section | None:
    links = []
    if user.has_perm("quiz.run_quiz"):
        links += [
            Link("Quizzes and live sessions", reverse("quiz:manage")),
            Link("Question bank", reverse("quiz:questions")),
        ]
    if user.has_perm("quiz.assess_service"):
        links.append(Link("Service Standard self-assessments", reverse("quiz:assessments")))
    if user.has_perm("quiz.compare_assessments"):
        links.append(Link("Compare across organisations", reverse("quiz:comparison")))
    if not links:
        return None
    return Section(
        title="Service Standard",
        description="Run the live quiz and assess your services against the 14 points.",
        links=links,
    )


def session_page(code: str) -> str:
    return reverse("quiz:present", args=[code]) if code.isdigit() else ""
