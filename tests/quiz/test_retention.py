"""Players' nicknames are personal data: found for subject access, erased
on request and anonymised after the retention period, keeping the results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.core import registry
from fingerpost.quiz import queries, services
from fingerpost.quiz.models import Answer, Player
from fingerpost.quiz.services import retention

from ..factories import UserFactory
from .factories import join, make_session, right_choice, wrong_choice

pytestmark = pytest.mark.django_db


def _played(nicknames=("Ada", "Grace")):
    session = make_session(questions=1)
    players = [join(session, n) for n in nicknames]
    session = services.next_question(by=session.host, session_id=session.pk)
    for n, player in enumerate(players):
        choice = right_choice(session) if n == 0 else wrong_choice(session)
        services.answer(
            code=session.code, player_token=player.token, position=0, choice_id=choice.pk
        )
    session = services.finish_session(by=session.host, session_id=session.pk)
    return session, players


def test_the_quiz_registers_its_players_and_a_retention_job() -> None:
    assert "quiz.players" in {s.name for s in registry.personal_data_sources()}
    assert "quiz_anonymise_players" in {j.name for j in registry.timed_jobs()}


@override_settings(FINGERPOST_QUIZ_RETENTION_DAYS=30)
def test_players_are_anonymised_after_the_retention_period_keeping_results() -> None:
    session, (ada, _grace) = _played()
    by_question = [(r.answered, r.right) for r in queries.results_by_question(session)]
    by_point = [(r.point, r.answered, r.right) for r in queries.results_by_point(session)]
    ended = session.finished_at

    assert retention.anonymise_ended_sessions(now=ended + timedelta(days=29)) == 0
    assert Player.objects.get(pk=ada.pk).nickname == "Ada"

    assert retention.anonymise_ended_sessions(now=ended + timedelta(days=31)) == 1
    ada_now = Player.objects.get(pk=ada.pk)
    assert ada_now.nickname == f"Player {ada.pk}" and ada_now.token != ada.token
    assert not Player.objects.filter(nickname__in=["Ada", "Grace"]).exists()
    assert queries.player_for(session.code, ada.token) is None  # the old cookie finds nobody
    assert Answer.objects.filter(session=session).count() == 2
    session.refresh_from_db()
    assert session.anonymised_at is not None
    assert [(r.answered, r.right) for r in queries.results_by_question(session)] == by_question
    assert [(r.point, r.answered, r.right) for r in queries.results_by_point(session)] == by_point
    # Running again does nothing more.
    assert retention.anonymise_ended_sessions(now=ended + timedelta(days=40)) == 0


@override_settings(FINGERPOST_QUIZ_RETENTION_DAYS=30)
def test_a_session_never_finished_is_anonymised_counting_from_its_start() -> None:
    session = make_session(questions=1)
    join(session, "Left running")
    later = timezone.now() + timedelta(days=31)
    assert retention.anonymise_ended_sessions(now=later) == 1
    assert not Player.objects.filter(nickname="Left running").exists()


def test_subject_access_finds_exports_and_erases_a_nickname_that_is_an_email() -> None:
    _session, (player, other) = _played(("ada@example.org", "Grace"))
    source = next(s for s in registry.personal_data_sources() if s.name == "quiz.players")
    staff = UserFactory(role=Role.ADMIN)
    found = source.find(email="Ada@Example.org", phone="")
    assert [r.key for r in found] == [str(player.pk)]
    assert source.find(email="nobody@example.org", phone="") == []
    exported = source.export(keys=[str(player.pk)], by=staff)
    assert exported[0]["nickname"] == "ada@example.org"
    assert exported[0]["answers"][0]["right"] is True
    assert source.erase(keys=[str(player.pk)], by=staff) == 1
    assert Player.objects.get(pk=player.pk).nickname == f"Player {player.pk}"
    assert Player.objects.get(pk=other.pk).nickname == "Grace"
    assert Answer.objects.filter(player_id=player.pk).count() == 1
    assert source.find(email="ada@example.org", phone="") == []
