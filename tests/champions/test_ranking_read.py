"""The suggestions page reads only the champions a request can reach, and
the first of the others by name: it must agree, champion for champion, with
ranking every champion in Python."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.champions import matching, queries
from fingerpost.champions.models import Way
from fingerpost.helpdesk.models import Status

from ..factories import HelpRequestFactory, UserFactory
from .factories import area, ready_champion

pytestmark = pytest.mark.django_db

NAMES = ["alex", "Alex", "Émile", "zoë", "Zoe", "bea", "O'Neil", "Ünal", "carl", "ALEX"]


@pytest.fixture
def world() -> list:
    rng = random.Random(7)
    areas = [area(f"Town {n}", f"TT{n}") for n in range(4)]
    today = timezone.localdate()
    for n in range(40):
        user = UserFactory(
            role=Role.CHAMPION, full_name=f"{rng.choice(NAMES)} {n}" if n % 9 else ""
        )
        ready_champion(
            user,
            areas=rng.sample(areas, rng.randint(0, 2)),
            ways=rng.sample(Way.values, rng.randint(1, 3)),
            paused=n % 11 == 0,
            max_active=rng.randint(1, 3),
            check_expires_on=today + timedelta(days=rng.choice([-5, 30, 300])),
        )
    # Some load, so some are full.
    champions = list(queries.candidates())
    for c in rng.sample(champions, 10):
        HelpRequestFactory(assigned_to_id=c.champion_id, status=Status.TRIAGED)
    return areas


def _picture(ranking: matching.Ranking) -> tuple:
    return (
        [(s.candidate.champion_id, s.score, s.reasons) for s in ranking.suggestions],
        [(e.candidate.champion_id, e.reasons) for e in ranking.excluded],
        ranking.excluded_count,
    )


@pytest.mark.parametrize("excluded_limit", [0, 3, 100])
@pytest.mark.parametrize("ways", [0, "home", "phone", "library+video"])
def test_reading_only_whom_the_request_reaches_ranks_as_reading_everyone(
    world, ways, excluded_limit
) -> None:
    today = timezone.localdate()
    mask = 0 if not ways else matching.way_mask(ways.split("+"))
    declined = frozenset(c.champion_id for c in queries.candidates()[::13])
    for area_at in [*world, None]:
        wanted = matching.Wanted(
            reference="HR-TEST",
            needs=("email", "online_forms"),
            area_id=area_at.pk if area_at else None,
            area_name=area_at.name if area_at else "",
            ways=mask,
            declined_by=declined,
        )
        everyone = matching.rank(wanted, queries.candidates(), today=today, limit=5)
        expected = matching.Ranking(
            everyone.suggestions, everyone.excluded[:excluded_limit], len(everyone.excluded)
        )
        read = queries.ranking_for(wanted, today=today, limit=5, excluded_limit=excluded_limit)
        assert _picture(read) == _picture(expected)
        # Something is left out in SQL, or the test would prove little.
        if area_at is not None and ways == "home":
            assert len(read.excluded) < read.excluded_count or excluded_limit == 100


def test_the_first_excluded_are_the_first_by_name_as_python_orders_names() -> None:
    town = area("Town", "TT1")
    # Out of the town and helping only at home: names that sort differently
    # by code point (as Python does) and by a language's rules.
    for name in ["Émile", "Oscar", "alex", "Bea", "zoë", "Zed"]:
        ready_champion(UserFactory(role=Role.CHAMPION, full_name=name), ways=["home"])
    wanted = matching.Wanted(
        reference="HR-TEST", needs=("email",), area_id=town.pk, area_name=town.name
    )
    read = queries.ranking_for(wanted, today=timezone.localdate(), excluded_limit=2)
    assert [e.candidate.name for e in read.excluded] == ["Bea", "Oscar"]
    assert read.excluded_count == 6


def test_one_ranked_list_is_three_queries_at_any_size(world) -> None:
    wanted = matching.Wanted(
        reference="HR-TEST", needs=("email",), area_id=world[0].pk, area_name=world[0].name
    )
    with CaptureQueriesContext(connection) as few:
        queries.ranking_for(wanted, today=timezone.localdate(), limit=5)
    for n in range(30):
        ready_champion(areas=[world[n % 4]])
    with CaptureQueriesContext(connection) as more:
        queries.ranking_for(wanted, today=timezone.localdate(), limit=5)
    assert len(few) == len(more) == 3
