"""The skills check: built on the framework's facts, answered a page at a
time without an account, recorded anonymously, results that point to help
and start a help request with the gaps filled in, emailed on request."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from fingerpost.skills.framework import AREAS, Answer, framework_facts
from fingerpost.skills.models import SkillsCheckResult
from fingerpost.skills.views import PAGES
from tests.directory.factories import HelpLocationFactory, dorset_areas

pytestmark = pytest.mark.django_db


def _answer_all(client: Client, answer: str = Answer.YES, **overrides: str) -> None:
    """Answer every page: `answer` for every task, except `overrides` (task key: answer)."""
    for skill_area in AREAS:
        data = {task.key: overrides.get(task.key, answer) for task in skill_area.tasks}
        response = client.post(f"/skills-check/{skill_area.key}/", data)
        assert response.status_code == 302, response.content.decode()[:500]


def test_the_check_covers_the_framework() -> None:
    facts = framework_facts()
    assert [a.key for a in AREAS] == ["foundation"] + [a["key"] for a in facts["areas"]]
    for skill_area in AREAS:
        assert 2 <= len(skill_area.tasks) <= 4, skill_area.key  # a few questions a page
    titles = {a.key: a.framework_title for a in AREAS}
    assert titles["safe_and_legal"] == "Being safe and legal online"


def test_a_resident_checks_their_skills_and_sees_results(client: Client) -> None:
    areas = dorset_areas()
    HelpLocationFactory(name="Weymouth Library", needs=["video_calls"])
    assert client.get("/skills-check/").status_code == 200
    _answer_all(client, video_call=Answer.NOT_YET, scams=Answer.WITH_HELP)
    response = client.post("/skills-check/where/", {"place": "DT4 7AB"})
    assert response["Location"] == "/skills-check/results/"
    result = SkillsCheckResult.objects.get()
    assert result.area == areas["Weymouth"]
    assert (result.gaps_communicating, result.gaps_safe_and_legal, result.gaps_foundation) == (
        1,
        1,
        0,
    )
    page = client.get("/skills-check/results/").content.decode()
    assert "Send an email and reply to one" in page  # can do
    assert "Make a video call, with someone there to help the first time" in page  # next
    assert "Weymouth Library" in page  # help near them
    assert "Borrow e-books on your phone" in page
    assert "Learn My Way" in page


def test_nothing_personal_is_kept(client: Client) -> None:
    _answer_all(client)
    client.post("/skills-check/where/", {"place": ""})
    result = SkillsCheckResult.objects.get()
    fields = {f.name for f in SkillsCheckResult._meta.get_fields()}
    assert fields == {
        "id",
        "area",
        "completed_at",
        *(f"gaps_{a.key}" for a in AREAS),
    }
    assert result.area is None


def test_changing_answers_updates_the_same_result(client: Client) -> None:
    _answer_all(client)
    client.post("/skills-check/where/", {"place": ""})
    client.post(
        "/skills-check/transacting/",
        {"forms": "not_yet", "council": "not_yet", "shopping": "yes", "banking": "yes"},
    )
    assert SkillsCheckResult.objects.count() == 1
    assert SkillsCheckResult.objects.get().gaps_transacting == 2


def test_pages_go_in_order_and_bad_answers_are_explained(client: Client) -> None:
    response = client.get("/skills-check/transacting/")
    assert response["Location"] == "/skills-check/foundation/"
    response = client.post("/skills-check/foundation/", {"switch_on": "maybe"})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "Select an answer for: Connect to Wi-Fi" in page
    assert client.get("/skills-check/nowhere/").status_code == 404
    assert client.get("/skills-check/results/")["Location"] == "/skills-check/"
    assert len(PAGES) == len(AREAS) + 1


def test_unknown_place_is_explained(client: Client) -> None:
    _answer_all(client)
    response = client.post("/skills-check/where/", {"place": "Atlantis"})
    assert "We do not know that place" in response.content.decode()
    assert not SkillsCheckResult.objects.exists()


def test_asking_for_help_starts_a_request_with_the_gaps(client: Client) -> None:
    _answer_all(client, video_call=Answer.NOT_YET, shopping=Answer.WITH_HELP)
    client.post("/skills-check/where/", {"place": ""})
    response = client.post("/skills-check/results/ask-for-help/")
    assert response["Location"] == "/get-help/ask/needs/"
    answers = client.session["help_request_answers"]["needs"]
    assert answers["needs"] == ["video_calls", "shopping_banking"]
    assert "make a video call to family or friends" in answers["what_they_want"]
    # The resident checks the page and carries on with the help desk's questions.
    response = client.post(
        "/get-help/ask/needs/", {"needs": answers["needs"], "what_they_want": "video"}
    )
    assert response["Location"] == "/get-help/ask/device/"


def test_results_are_emailed_and_the_address_is_not_kept(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _answer_all(client, email=Answer.NOT_YET)
    client.post("/skills-check/where/", {"place": ""})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/skills-check/results/email/", {"email": "Resident@Example.org"})
    assert response["Location"] == "/skills-check/results/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Resident@example.org"] or mail.outbox[0].to[0].lower() == (
        "resident@example.org"
    )
    assert "Set up an email address and send your first email" in mail.outbox[0].body
    assert "resident" not in str(client.session.get("skills_check", {})).lower()
    bad = client.post("/skills-check/results/email/", {"email": "not an address"})
    assert "correct format" in bad.content.decode()


def test_results_cannot_be_emailed_again_and_again(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _answer_all(client)
    client.post("/skills-check/where/", {"place": ""})
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post("/skills-check/results/email/", {"email": "a@example.org"})
        refused = client.post("/skills-check/results/email/", {"email": "a@example.org"})
    assert refused.status_code == 429
    assert len(mail.outbox) == 3
