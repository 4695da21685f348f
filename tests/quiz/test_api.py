"""The quiz API: organisers read the bank and quizzes with a token; players
join, read their live view and answer with their player token; members read
their organisations' submitted self-assessments."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fingerpost.accounts.roles import Role
from fingerpost.core import api_auth
from fingerpost.quiz import services
from fingerpost.quiz.models import Answer, AssessmentStatus

from ..factories import UserFactory, grant_role
from ..querycount import assert_flat_query_count
from .factories import make_question, make_quiz, make_session, right_choice

pytestmark = pytest.mark.django_db

API = "/api/v1/quiz"
PEOPLE = ["unverified", *[str(r) for r in Role], "two_roles"]
ORGANISERS = {"organiser", "admin", "two_roles"}
MEMBERS = {"member", "champion", "coordinator", "organiser", "admin", "two_roles"}


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_auth.issue_api_token(user)}"}


def _person(who: str):
    if who == "unverified":
        return UserFactory(role="")
    if who == "two_roles":
        user = UserFactory(role=Role.ORGANISER)
        grant_role(user, Role.COORDINATOR)
        return user
    return UserFactory(role=who)


@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_read_what(who: str) -> None:
    user = _person(who)
    quiz = make_quiz(questions=1)
    question = quiz.items.get().question
    client = Client()
    for url in [
        f"{API}/questions",
        f"{API}/questions/{question.pk}",
        f"{API}/quizzes",
        f"{API}/quizzes/{quiz.pk}",
    ]:
        assert client.get(url).status_code == 401, url
        expected = 200 if who in ORGANISERS else 403
        assert client.get(url, headers=bearer(user)).status_code == expected, (who, url)
    expected = 200 if who in MEMBERS else 403
    assert client.get(f"{API}/assessments", headers=bearer(user)).status_code == expected


def test_the_bank_has_the_answers_and_filters_by_point() -> None:
    organiser = UserFactory(role=Role.ORGANISER)
    make_question(point=4, text="About simplicity?")
    body = Client().get(f"{API}/questions?point=4", headers=bearer(organiser)).json()
    assert body["count"] >= 1
    item = next(i for i in body["items"] if i["text"] == "About simplicity?")
    assert item["point_title"] == "Make the service simple to use"
    assert [c["correct"] for c in item["choices"]] == [True, False]
    assert Client().get(f"{API}/questions?point=15", headers=bearer(organiser)).status_code == 422
    assert Client().get(f"{API}/questions/999999", headers=bearer(organiser)).status_code == 404


def test_a_player_joins_reads_and_answers_once() -> None:
    session = make_session(questions=2)
    client = Client()
    joined = client.post(
        f"{API}/live/{session.code}/players",
        json.dumps({"nickname": "Ada"}),
        content_type="application/json",
    )
    assert joined.status_code == 201
    token = joined.json()["token"]
    me = {"X-Quiz-Player": token}
    duplicate = client.post(
        f"{API}/live/{session.code}/players",
        json.dumps({"nickname": "ada"}),
        content_type="application/json",
    )
    assert duplicate.status_code == 422
    view = client.get(f"{API}/live/{session.code}", headers=me).json()
    assert view["phase"] == "lobby" and view["nickname"] == "Ada" and not view["can_answer"]
    session = services.next_question(by=session.host, session_id=session.pk)
    view = client.get(f"{API}/live/{session.code}", headers=me).json()
    assert view["phase"] == "question" and view["can_answer"]
    assert all(c["correct"] is None for c in view["choices"])  # not before time is up
    answer = {"position": 0, "choice": right_choice(session).pk}
    first = client.post(
        f"{API}/live/{session.code}/answers",
        json.dumps(answer),
        content_type="application/json",
        headers=me,
    )
    assert first.status_code == 201
    second = client.post(
        f"{API}/live/{session.code}/answers",
        json.dumps(answer),
        content_type="application/json",
        headers=me,
    )
    assert second.status_code == 409 and "already answered" in second.json()["detail"]
    assert Answer.objects.count() == 1
    services.close_question(by=session.host, session_id=session.pk)
    view = client.get(f"{API}/live/{session.code}", headers=me).json()
    assert view["phase"] == "answer" and view["score"] > 500 and view["rank"] == 1
    assert [c["correct"] for c in view["choices"]] == [True, False]


def test_players_need_their_own_token_for_their_own_quiz() -> None:
    session = make_session()
    other = make_session()
    token = services.join_session(code=session.code, nickname="Ada").token
    client = Client()
    assert client.get(f"{API}/live/{session.code}").status_code == 401
    assert (
        client.get(f"{API}/live/{session.code}", headers={"X-Quiz-Player": "nope"}).status_code
        == 401
    )
    assert (
        client.get(f"{API}/live/{other.code}", headers={"X-Quiz-Player": token}).status_code == 404
    )
    assert client.post(
        f"{API}/live/000000/players", json.dumps({"nickname": "x"}), content_type="application/json"
    ).status_code in (404, 422)
    bad = client.post(
        f"{API}/live/{session.code}/answers",
        json.dumps({"position": -1, "choice": 0}),
        content_type="application/json",
        headers={"X-Quiz-Player": token},
    )
    assert bad.status_code == 422


def test_assessments_are_read_only_by_their_organisation() -> None:
    member = UserFactory(role=Role.MEMBER)
    organisation = member.memberships.get().organisation
    assessment = services.start_assessment(
        by=member, organisation_id=organisation.pk, service_name="Renew a book"
    )
    services.save_assessment(
        by=member, assessment_id=assessment.pk, ratings={p: ("met", "", "") for p in range(1, 15)}
    )
    assert (
        Client().get(f"{API}/assessments/{assessment.pk}", headers=bearer(member)).status_code
        == 404
    )
    services.submit_assessment(by=member, assessment_id=assessment.pk)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    body = Client().get(f"{API}/assessments/{assessment.pk}", headers=bearer(member)).json()
    assert body["service_name"] == "Renew a book" and len(body["ratings"]) == 14
    outsider = UserFactory(role=Role.ORGANISER)
    assert (
        Client().get(f"{API}/assessments/{assessment.pk}", headers=bearer(outsider)).status_code
        == 404
    )
    assert Client().get(f"{API}/assessments", headers=bearer(outsider)).json()["count"] == 0


def test_the_bank_list_is_flat() -> None:
    organiser = UserFactory(role=Role.ORGANISER)
    client = Client()
    client.force_login(organiser)
    assert_flat_query_count(client, f"{API}/questions", lambda: [make_question() for _ in range(3)])


def _order(client: Client, user, quiz_id: int, body) -> object:
    return client.post(
        f"{API}/quizzes/{quiz_id}/order",
        data=json.dumps(body),
        content_type="application/json",
        headers=bearer(user),
    )


def test_organisers_reorder_and_remove_questions_through_the_api() -> None:
    organiser = UserFactory(role=Role.ORGANISER)
    quiz = make_quiz(questions=3, by=organiser)
    first, second, third = [i.question_id for i in quiz.items.order_by("position")]
    client = Client()
    moved = _order(client, organiser, quiz.pk, {"question": third, "action": "up"})
    assert moved.status_code == 200
    assert moved.json()["question_ids"] == [first, third, second]
    assert _order(client, organiser, quiz.pk, {"question": first, "action": "up"}).json()[
        "question_ids"
    ] == [first, third, second]  # already first: unchanged
    down = _order(client, organiser, quiz.pk, {"question": first, "action": "down"})
    assert down.json()["question_ids"] == [third, first, second]
    removed = _order(client, organiser, quiz.pk, {"question": first, "action": "remove"})
    assert removed.json()["question_ids"] == [third, second]
    assert list(quiz.items.order_by("position").values_list("question_id", flat=True)) == [
        third,
        second,
    ]


def test_reordering_through_the_api_refuses_bad_input_without_a_500() -> None:
    organiser = UserFactory(role=Role.ORGANISER)
    quiz = make_quiz(questions=1, by=organiser)
    only = quiz.items.get().question_id
    elsewhere = make_question().pk
    client = Client()
    for body in [
        {"question": only, "action": "sideways"},
        {"question": only},
        {"action": "up"},
        {"question": 0, "action": "up"},
        {"question": 2**40, "action": "up"},
        {"question": "one", "action": "up"},
    ]:
        assert _order(client, organiser, quiz.pk, body).status_code == 422, body
    last = _order(client, organiser, quiz.pk, {"question": only, "action": "remove"})
    assert last.status_code == 422 and "at least one question" in last.json()["detail"]
    assert (
        _order(client, organiser, quiz.pk, {"question": elsewhere, "action": "up"}).status_code
        == 404
    )
    assert _order(client, organiser, 2**40, {"question": only, "action": "up"}).status_code == 404
    assert (
        _order(client, organiser, quiz.pk + 999, {"question": only, "action": "up"}).status_code
        == 404
    )
    bad_json = client.post(
        f"{API}/quizzes/{quiz.pk}/order",
        data="{not json",
        content_type="application/json",
        headers=bearer(organiser),
    )
    assert bad_json.status_code in (400, 422)
    assert _order(client, organiser, quiz.pk, []).status_code in (400, 422)
    assert quiz.items.count() == 1


@pytest.mark.parametrize("who", ["unverified", "member", "coordinator"])
def test_only_organisers_reorder_through_the_api(who: str) -> None:
    quiz = make_quiz(questions=2)
    first = quiz.items.order_by("position").first().question_id
    client = Client()
    anonymous = client.post(
        f"{API}/quizzes/{quiz.pk}/order",
        data=json.dumps({"question": first, "action": "down"}),
        content_type="application/json",
    )
    assert anonymous.status_code == 401
    assert (
        _order(client, _person(who), quiz.pk, {"question": first, "action": "down"}).status_code
        == 403
    )
    assert quiz.items.order_by("position").first().question_id == first
