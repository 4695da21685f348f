"""Many phones at once on PostgreSQL with real connections: a double tap or
a retried request never counts an answer twice, and two phones asking for
the same nickname at once get one each."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from fingerpost.core.errors import Conflict, Invalid
from fingerpost.quiz import services
from fingerpost.quiz.models import Answer, Player

from .factories import join, make_session, right_choice, wrong_choice

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
)


def _run_in_threads(count: int, target: Callable[[int], None]) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            target(n)
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_many_taps_of_one_player_count_once() -> None:
    session = make_session()
    player = join(session, "Tapper")
    session = services.next_question(by=session.host, session_id=session.pk)
    choices = [right_choice(session).pk, wrong_choice(session).pk]

    def tap(n: int) -> None:
        services.answer(
            code=session.code, player_token=player.token, position=0, choice_id=choices[n % 2]
        )

    errors = _run_in_threads(12, tap)
    assert Answer.objects.filter(player=player).count() == 1
    assert len(errors) == 11
    assert all(isinstance(e, Conflict) for e in errors), errors


@pytest.mark.django_db(transaction=True)
def test_a_room_answering_at_once_loses_nothing() -> None:
    session = make_session()
    players = [join(session, f"P{n}") for n in range(20)]
    session = services.next_question(by=session.host, session_id=session.pk)
    choice = right_choice(session).pk

    def answer(n: int) -> None:
        player = players[n % 20]  # every player taps twice
        with contextlib.suppress(Conflict):
            services.answer(
                code=session.code, player_token=player.token, position=0, choice_id=choice
            )

    assert _run_in_threads(40, answer) == []
    assert Answer.objects.filter(session=session).count() == 20
    assert Answer.objects.values("player").distinct().count() == 20


@pytest.mark.django_db(transaction=True)
def test_two_phones_wanting_one_nickname_get_it_once() -> None:
    session = make_session()

    def take(n: int) -> None:
        join(session, "Same name" if n % 2 else "SAME NAME")

    errors = _run_in_threads(8, take)
    assert Player.objects.filter(session=session).count() == 1
    assert len(errors) == 7 and all(isinstance(e, Invalid) for e in errors)
