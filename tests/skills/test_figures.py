"""The public figures agree with the records, and small numbers are hidden
(core.disclosure: primary and secondary suppression)."""

from __future__ import annotations

import pytest
from django.test import Client

from fingerpost.core.disclosure import HIDDEN_TEXT, SECONDARY_TEXT, suppress, suppress_parts
from fingerpost.helpdesk.models import HelpRequestNeed
from fingerpost.skills.figures import public_figures
from fingerpost.skills.framework import AREAS
from fingerpost.skills.models import SkillsCheckResult
from tests.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def _results(count: int, **gaps: int) -> None:
    values = {f"gaps_{a.key}": 0 for a in AREAS} | {f"gaps_{k}": v for k, v in gaps.items()}
    SkillsCheckResult.objects.bulk_create([SkillsCheckResult(**values) for _ in range(count)])


def _requests(count: int, *needs: str) -> None:
    for _ in range(count):
        request = HelpRequestFactory()
        request.needs.all().delete()
        for need in needs:
            HelpRequestNeed.objects.create(request=request, need=need)


def test_suppression_rules() -> None:
    assert suppress(0).text == "0"
    assert suppress(4).text == HIDDEN_TEXT
    assert suppress(5).text == "5"
    # One hidden part of a shown total: the smallest other part is hidden too.
    parts = suppress_parts([("a", 3), ("b", 20), ("c", 9)])
    assert [p.text for p in parts] == [HIDDEN_TEXT, "20", SECONDARY_TEXT]
    # Two hidden parts cannot be told apart: nothing more to hide.
    assert [p.text for p in suppress_parts([("a", 2), ("b", 3), ("c", 9)])] == [
        HIDDEN_TEXT,
        HIDDEN_TEXT,
        "9",
    ]
    # A tiny total hides every part but zeros.
    assert [p.text for p in suppress_parts([("a", 3), ("b", 0)])] == [HIDDEN_TEXT, "0"]
    assert [p.text for p in suppress_parts([("a", 0), ("b", 0)])] == ["0", "0"]


def test_figures_match_the_records() -> None:
    _requests(7, "video_calls", "email")
    _requests(2, "email")
    _requests(5, "staying_safe")
    _results(12)
    _results(6, communicating=2, transacting=1)
    _results(3, transacting=2)
    data = public_figures()
    assert data.requests_total.value == 14
    by_need = {f.label: f for f in data.requests_by_need}
    assert by_need["Video calls with family and friends"].value == 7
    assert by_need["Email and messaging"].value == 9
    assert by_need["Staying safe online"].value == 5
    assert by_need["Finding work"].value == 0
    assert data.checks_total.value == 21
    rows = {row.title: row for row in data.skills_rows}
    assert (
        rows["Talking to people online"].can_do_all.value,
        rows["Talking to people online"].still_learning.value,
    ) == (15, 6)
    assert (
        rows["Buying things and using services"].can_do_all.value,
        rows["Buying things and using services"].still_learning.value,
    ) == (12, 9)
    assert rows["The basics"].can_do_all.value == 21
    assert rows["The basics"].still_learning.value == 0


def test_small_numbers_are_hidden_and_cannot_be_worked_out() -> None:
    _requests(3, "finding_work")
    _requests(6, "email")
    _results(10)
    _results(2, safe_and_legal=1)
    data = public_figures()
    by_need = {f.label: f for f in data.requests_by_need}
    assert by_need["Finding work"].value is None and by_need["Finding work"].text == HIDDEN_TEXT
    row = next(r for r in data.skills_rows if r.title == "Staying safe online")
    # 2 still learning is hidden; 10 can do all would give it away from the total of 12.
    assert row.still_learning.text == HIDDEN_TEXT
    assert row.can_do_all.text == SECONDARY_TEXT
    assert data.checks_total.value == 12


def test_figures_page_has_charts_tables_and_summaries(client: Client) -> None:
    _requests(6, "video_calls")
    _requests(3, "email")
    _results(8, communicating=1)
    page = client.get("/figures/").content.decode()
    assert page.count('role="img"') == 2 and page.count("<table") == 2
    assert "The most common need was “video calls with family and friends” (6 requests)" in page
    assert HIDDEN_TEXT in page  # 3 email requests
    assert ">3<" not in page
    assert "8 people have finished the skills check" in page


def test_figures_page_with_no_records(client: Client) -> None:
    page = client.get("/figures/").content.decode()
    assert "not yet enough requests for help" in page
