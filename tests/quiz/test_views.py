"""Every page for every kind of person: anonymous, an unverified account,
each role, the operator and a person with two roles."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import pytest
from django.test import Client

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.quiz import services
from fingerpost.quiz.models import Answer, Assessment, LiveSession, Phase, Player, Question, Quiz

from ..factories import UserFactory, grant_role
from .factories import join, make_question, make_quiz, make_session, right_choice

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "unverified", *[str(r) for r in Role], "two_roles"]
ORGANISERS = {"organiser", "admin", "two_roles"}
MEMBERS = {"member", "champion", "coordinator", "organiser", "admin", "two_roles"}


def _person(who: str) -> User | None:
    if who == "anonymous":
        return None
    if who == "unverified":
        return UserFactory(role="")
    if who == "two_roles":
        user = UserFactory(role=Role.ORGANISER)
        grant_role(user, Role.CHAMPION)
        return user
    return UserFactory(role=who)


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _expected(who: str, allowed: set[str]) -> int:
    if who in allowed:
        return 200
    return 302 if who == "anonymous" else 403


@pytest.mark.parametrize("who", PEOPLE)
def test_organiser_pages(who: str) -> None:
    user = _person(who)
    client = _client(user)
    question = make_question()
    quiz = make_quiz(by=user if who in ORGANISERS else None)
    host = user if who in ORGANISERS else UserFactory(role=Role.ORGANISER)
    session = services.start_session(by=host, quiz_id=quiz.pk)
    urls = [
        "/quiz/manage/",
        "/quiz/manage/new/",
        f"/quiz/manage/{quiz.pk}/",
        "/quiz/questions/",
        "/quiz/questions/new/",
        f"/quiz/questions/{question.pk}/",
        f"/quiz/present/{session.code}/",
        f"/quiz/present/{session.code}/state/",
        f"/quiz/results/{session.code}/",
        f"/quiz/results/{session.code}/answers.csv",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == _expected(who, ORGANISERS), (who, url)


@pytest.mark.parametrize("who", PEOPLE)
def test_organiser_actions(who: str) -> None:
    user = _person(who)
    client = _client(user)
    quiz = make_quiz()
    question = make_question()
    allowed = who in ORGANISERS
    ok = 302 if allowed else (302 if who == "anonymous" else 403)
    assert client.post(f"/quiz/manage/{quiz.pk}/copy/").status_code == ok
    assert Quiz.objects.count() == (2 if allowed else 1)
    assert client.post(f"/quiz/questions/{question.pk}/archive/").status_code == ok
    question.refresh_from_db()
    assert question.archived is allowed
    response = client.post(f"/quiz/manage/{quiz.pk}/start/")
    assert response.status_code == ok
    assert LiveSession.objects.count() == (1 if allowed else 0)
    if allowed:
        session = LiveSession.objects.get()
        assert response.url == f"/quiz/present/{session.code}/"
        assert client.post(f"/quiz/present/{session.code}/next/").status_code == 302
        session.refresh_from_db()
        assert session.phase == Phase.QUESTION


def test_another_organisers_session_is_not_found() -> None:
    session = make_session()
    client = _client(UserFactory(role=Role.ORGANISER))
    assert client.get(f"/quiz/present/{session.code}/").status_code == 404
    assert client.post(f"/quiz/present/{session.code}/next/").status_code == 404
    assert client.get(f"/quiz/results/{session.code}/").status_code == 404
    session.refresh_from_db()
    assert session.phase == Phase.LOBBY


def test_an_unknown_presenter_action_is_not_found() -> None:
    session = make_session()
    client = _client(session.host)
    assert client.post(f"/quiz/present/{session.code}/explode/").status_code == 404
    assert client.post(f"/quiz/present/{session.code}/hide/", {"player": "x"}).status_code == 404


@pytest.mark.parametrize("who", PEOPLE)
def test_assessment_pages(who: str) -> None:
    client = _client(_person(who))
    assert client.get("/quiz/assessments/").status_code == _expected(who, MEMBERS)
    assert client.get("/quiz/assessments/compare/").status_code == _expected(who, ORGANISERS)


@pytest.mark.parametrize("who", PEOPLE)
def test_anyone_can_join_and_play(who: str) -> None:
    client = _client(_person(who))
    session = make_session()
    assert client.get("/quiz/").status_code == 200
    response = client.get(f"/quiz/?code={session.code}")
    assert response.status_code == 302 and response.url == f"/quiz/{session.code}/join/"
    assert client.get(f"/quiz/{session.code}/join/").status_code == 200
    response = client.post(f"/quiz/{session.code}/join/", {"nickname": f"Fan {who}"[:20]})
    assert response.status_code == 302 and response.url == f"/quiz/{session.code}/play/"
    assert client.get(f"/quiz/{session.code}/play/").status_code == 200
    assert client.get(f"/quiz/{session.code}/state/").status_code == 200


def _player_client(session: LiveSession, nickname: str = "Ada") -> Client:
    client = Client()
    client.post(f"/quiz/{session.code}/join/", {"nickname": nickname})
    return client


def test_the_player_page_follows_the_game_and_answers_once() -> None:
    session = make_session(questions=2)
    phone = _player_client(session)
    assert "re in!" in phone.get(f"/quiz/{session.code}/play/").content.decode()
    session = services.next_question(by=session.host, session_id=session.pk)
    page = phone.get(f"/quiz/{session.code}/play/").content.decode()
    assert "Question 1 of 2" in page
    choice = right_choice(session)
    assert f'value="{choice.pk}"' in page
    response = phone.post(f"/quiz/{session.code}/answer/", {"position": 0, "choice": choice.pk})
    assert response.status_code == 302
    again = phone.post(
        f"/quiz/{session.code}/answer/", {"position": 0, "choice": choice.pk}, follow=True
    )
    assert "You have already answered this question" in again.content.decode()
    assert Answer.objects.count() == 1
    services.close_question(by=session.host, session_id=session.pk)
    page = phone.get(f"/quiz/{session.code}/play/").content.decode()
    assert "Right!" in page and "Because." in page


def test_a_reload_keeps_the_player_and_a_new_phone_must_join() -> None:
    session = make_session()
    phone = _player_client(session)
    # Coming back to the join page with the cookie goes straight to the game.
    response = phone.get(f"/quiz/{session.code}/join/")
    assert response.status_code == 302 and response.url.endswith("/play/")
    assert Player.objects.count() == 1
    stranger = Client()
    response = stranger.get(f"/quiz/{session.code}/play/")
    assert response.status_code == 302 and response.url.endswith("/join/")


def test_join_mistakes_are_explained() -> None:
    session = make_session()
    client = Client()
    response = client.post("/quiz/", {"code": "12"})
    assert response.status_code == 400
    assert "Enter the 6 numbers of the quiz code" in response.content.decode()
    unknown = "999999" if session.code != "999999" else "999998"
    response = client.post("/quiz/", {"code": unknown})
    assert (
        response.status_code == 400
        and "There is no quiz with that code" in response.content.decode()
    )
    _player_client(session, "Ada")
    response = Client().post(f"/quiz/{session.code}/join/", {"nickname": "ADA"})
    assert response.status_code == 400
    assert "already has that nickname" in response.content.decode()
    assert Client().get("/quiz/000x00/join/").status_code == 404


def test_bad_answers_change_nothing() -> None:
    session = make_session()
    phone = _player_client(session)
    services.next_question(by=session.host, session_id=session.pk)
    for data in [
        {},
        {"position": "x", "choice": "1"},
        {"position": 0, "choice": -1},
        {"position": 0, "choice": 2**40},
    ]:
        response = phone.post(f"/quiz/{session.code}/answer/", data)
        assert response.status_code == 302, data
    assert not Answer.objects.exists()
    # Without joining, an answer goes to the join page.
    response = Client().post(f"/quiz/{session.code}/answer/", {"position": 0, "choice": 1})
    assert response.status_code == 302 and response.url.endswith("/join/")


def test_the_state_is_a_cheap_conditional_response() -> None:
    session = make_session()
    client = Client()
    first = client.get(f"/quiz/{session.code}/state/")
    assert first.status_code == 200 and first.json()["phase"] == "lobby"
    etag = first["ETag"]
    assert client.get(f"/quiz/{session.code}/state/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.next_question(by=session.host, session_id=session.pk)
    changed = client.get(f"/quiz/{session.code}/state/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["phase"] == "question"
    assert client.get("/quiz/123/state/").status_code == 404
    assert client.get("/quiz/abc/state/").status_code == 404


def test_the_presenter_screen_shows_the_code_qr_and_players_and_hides_a_name() -> None:
    session = make_session()
    rude = join(session, "Rude name")
    client = _client(session.host)
    page = client.get(f"/quiz/present/{session.code}/").content.decode()
    assert session.code in page and "<svg" in page and "Rude name" in page
    client.post(f"/quiz/present/{session.code}/hide/", {"player": rude.pk})
    page = client.get(f"/quiz/present/{session.code}/").content.decode()
    assert "Rude name" not in page and f"Player {rude.pk}" in page


def test_results_and_csv() -> None:
    session = make_session(questions=1)
    player = join(session, "=cmd|' /C calc'!A0")
    session = services.next_question(by=session.host, session_id=session.pk)
    services.answer(
        code=session.code, player_token=player.token, position=0, choice_id=right_choice(session).pk
    )
    client = _client(session.host)
    page = client.get(f"/quiz/results/{session.code}/").content.decode()
    assert "1. Understand users and their needs" in page
    csv = client.get(f"/quiz/results/{session.code}/answers.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("'=cmd")  # a formula becomes text


def test_results_as_xlsx_read_back() -> None:
    import io

    from openpyxl import load_workbook

    session = make_session(questions=1)
    player = join(session, "Ada")
    session = services.next_question(by=session.host, session_id=session.pk)
    choice = right_choice(session)
    services.answer(code=session.code, player_token=player.token, position=0, choice_id=choice.pk)
    response = _client(session.host).get(f"/quiz/results/{session.code}/answers.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'quiz-{session.code}-answers.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Player", "Question")
    assert rows[1][0] == "Ada" and rows[1][4] == choice.text and rows[1][5] == "yes"


def test_writing_a_question_and_a_quiz() -> None:
    organiser = UserFactory(role=Role.ORGANISER)
    client = _client(organiser)
    response = client.post(
        "/quiz/questions/new/",
        {
            "text": "Which point is about open code?",
            "point": "12",
            "explanation": "Point 12.",
            "answer_1": "Make new source code open",
            "correct_1": "on",
            "answer_2": "Iterate",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(text="Which point is about open code?")
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("Make new source code open", True),
        ("Iterate", False),
    ]
    bad = client.post(
        "/quiz/questions/new/",
        {
            "text": "No right answer",
            "point": "3",
            "explanation": "x",
            "answer_1": "a",
            "answer_2": "b",
        },
    )
    assert bad.status_code == 400 and "Mark at least one answer as correct" in bad.content.decode()
    response = client.post(
        "/quiz/manage/new/",
        {
            "title": "Open code",
            "seconds_per_question": "15",
            "questions": [question.pk],
        },
    )
    assert response.status_code == 302
    quiz = Quiz.objects.get(title="Open code")
    assert list(quiz.items.values_list("question_id", flat=True)) == [question.pk]
    bad = client.post("/quiz/manage/new/", {"title": "x", "seconds_per_question": "2"})
    assert bad.status_code == 400


def test_the_starter_bank_covers_every_point_twice() -> None:
    from django.db.models import Count

    counts = dict(
        Question.objects.exclude(starter_key="").values_list("point").annotate(n=Count("id"))
    )
    assert set(counts) == set(range(1, 15)) and min(counts.values()) >= 2
    assert sum(counts.values()) >= 28
    for question in Question.objects.exclude(starter_key="").prefetch_related("choices"):
        choices = list(question.choices.all())
        assert 2 <= len(choices) <= 4 and any(c.is_correct for c in choices), question


def test_the_starter_banks_right_answers_are_not_always_in_the_same_place() -> None:
    places = [
        [c.is_correct for c in q.choices.all()].index(True)
        for q in Question.objects.exclude(starter_key="").prefetch_related("choices")
    ]
    # Every place is used, and no place holds much more than its share.
    assert set(places) == {0, 1, 2, 3}
    assert max(places.count(p) for p in set(places)) <= len(places) / 2


def test_assessment_by_a_team(client_for: Callable[[str], Client]) -> None:
    member = UserFactory(role=Role.MEMBER)
    client = _client(member)
    organisation = member.memberships.get().organisation
    response = client.post(
        "/quiz/assessments/",
        {
            "organisation": organisation.pk,
            "service_name": "Apply for a library card",
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    data = {f"rating_{p}": "met" for p in range(1, 15)}
    data.update(
        {
            "rating_5": "partly",
            "evidence_5": "Tested with screen readers",
            "actions_5": "Fix the date field",
            "save": "1",
        }
    )
    del data["rating_14"]
    assert client.post(f"/quiz/assessments/{assessment.pk}/", data).status_code == 302
    data["submit"] = "1"
    refused = client.post(f"/quiz/assessments/{assessment.pk}/", data)
    assert refused.status_code == 400 and "not yet rated: 14" in refused.content.decode()
    data["rating_14"] = "not_met"
    assert client.post(f"/quiz/assessments/{assessment.pk}/", data).status_code == 302
    page = client.get(f"/quiz/assessments/{assessment.pk}/").content.decode()
    assert "Tested with screen readers" in page and "Partly met" in page
    # Another organisation's member never sees it.
    outsider = _client(UserFactory(role=Role.MEMBER))
    assert outsider.get(f"/quiz/assessments/{assessment.pk}/").status_code == 404
    # An organiser sees counts across organisations, never the answers.
    compare = _client(UserFactory(role=Role.ORGANISER)).get("/quiz/assessments/compare/")
    text = compare.content.decode()
    assert "Tested with screen readers" not in text and "fewer than 5" in text
    assert re.search(r"1 service", text)


def _order(quiz_id: int) -> list[int]:
    from fingerpost.quiz.models import QuizQuestion

    return list(
        QuizQuestion.objects.filter(quiz_id=quiz_id)
        .order_by("position")
        .values_list("question_id", flat=True)
    )


def test_organisers_reorder_and_remove_questions_with_forms() -> None:
    from .factories import make_quiz

    organiser = UserFactory(role=Role.ORGANISER)
    quiz = make_quiz(questions=3, by=organiser)
    first, second, third = _order(quiz.pk)
    client = _client(organiser)
    page = client.get(f"/quiz/manage/{quiz.pk}/").content.decode()
    assert f"/quiz/manage/{quiz.pk}/questions/{second}/up/" in page
    assert f"/quiz/manage/{quiz.pk}/questions/{first}/up/" not in page  # first cannot go up

    response = client.post(f"/quiz/manage/{quiz.pk}/questions/{third}/up/")
    assert response.status_code == 302 and response["Location"].endswith("#order")
    assert _order(quiz.pk) == [first, third, second]
    client.post(f"/quiz/manage/{quiz.pk}/questions/{first}/down/")
    assert _order(quiz.pk) == [third, first, second]
    client.post(f"/quiz/manage/{quiz.pk}/questions/{second}/down/")  # already last
    assert _order(quiz.pk) == [third, first, second]

    # Saving the form (ticked boxes come in the bank's order) keeps the quiz's order.
    client.post(
        f"/quiz/manage/{quiz.pk}/",
        {"title": quiz.title, "seconds_per_question": "20", "questions": [first, second, third]},
    )
    assert _order(quiz.pk) == [third, first, second]

    client.post(f"/quiz/manage/{quiz.pk}/questions/{first}/remove/")
    assert _order(quiz.pk) == [third, second]
    client.post(f"/quiz/manage/{quiz.pk}/questions/{third}/remove/")
    client.post(f"/quiz/manage/{quiz.pk}/questions/{second}/remove/")  # the last one stays
    assert _order(quiz.pk) == [second]
    # A session plays the quiz's order.
    client.post(
        f"/quiz/manage/{quiz.pk}/",
        {"title": quiz.title, "seconds_per_question": "20", "questions": [first, second]},
    )
    assert _order(quiz.pk) == [second, first]
    session = services.start_session(by=organiser, quiz_id=quiz.pk)
    assert session.question_ids == [second, first]


def test_reordering_needs_the_organiser_role_and_a_post() -> None:
    from .factories import make_quiz

    quiz = make_quiz(questions=2)
    first, second = _order(quiz.pk)
    url = f"/quiz/manage/{quiz.pk}/questions/{second}/up/"
    assert _client(UserFactory()).post(url).status_code == 403
    organiser = UserFactory(role=Role.ORGANISER)
    assert _client(organiser).get(url).status_code == 405
    assert (
        _client(organiser).post(f"/quiz/manage/{quiz.pk}/questions/{second}/sideways/").status_code
        == 404
    )
    assert _order(quiz.pk) == [first, second]


def test_a_quiz_number_that_names_no_quiz_is_not_found() -> None:
    client = _client(UserFactory(role=Role.ORGANISER))
    # 0 is not "a new quiz": the form to create one is at its own address.
    assert client.get("/quiz/manage/0/").status_code == 404
    assert client.post("/quiz/manage/0/", {"title": "Sneaky"}).status_code == 404
    assert not Quiz.objects.filter(title="Sneaky").exists()


def test_state_polls_are_answered_without_a_request_log_line(caplog) -> None:
    session = make_session()
    with caplog.at_level(logging.INFO, logger="fingerpost.requests"):
        assert Client().get(f"/quiz/{session.code}/state/").status_code == 200
        assert Client().get(f"/quiz/{session.code}/join/").status_code == 200
    logged = [str(r.msg) for r in caplog.records if r.name == "fingerpost.requests"]
    assert len(logged) == 1 and "/join/" in logged[0]
