"""The champions' and lending sources agree with their records, with the same
scope and small-number rules as every other source."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.champions.models import HelpSession
from fingerpost.core.disclosure import HIDDEN_TEXT
from fingerpost.core.registry import InsightQuery
from fingerpost.insights import figures
from fingerpost.lending.models import Loan
from fingerpost.organisations.models import Area, Organisation, PostcodeDistrict
from tests.factories import HelpRequestFactory, OrganisationFactory, UserFactory
from tests.lending.factories import BorrowerFactory, DeviceFactory

from .test_dashboard import signed_in, table

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def whole(**kwargs: object) -> list[figures.Source]:
    return figures.dashboard(
        InsightQuery(start=TODAY - timedelta(days=365), end=TODAY, **kwargs)  # type: ignore[arg-type]
    )


def sessions(
    count: int, organisation: Organisation, *, minutes: int = 60, **fields: object
) -> None:
    champion = UserFactory(role=Role.CHAMPION)
    fields.setdefault("given_on", TODAY - timedelta(days=2))
    HelpSession.objects.bulk_create(
        [
            HelpSession(
                champion=champion,
                organisation=organisation,
                minutes=minutes,
                mode="in_person",
                confidence_before=1,
                confidence_after=3,
                **fields,
            )
            for _ in range(count)
        ]
    )


def test_champions_sessions_and_hours_match_the_records() -> None:
    library, council = OrganisationFactory(name="Library"), OrganisationFactory(name="Council")
    sessions(6, library, minutes=90)
    sessions(7, council, minutes=30)
    sessions(9, council, given_on=TODAY - timedelta(days=400))  # before the period
    sources = whole()
    # Sessions, hours (exact), more confident after
    assert table(sources, "champions.organisations") == {
        "Council": ["7", "4", "7"],
        "Library": ["6", "9", "6"],
        "Total": ["13", "13", "13"],
    }
    # Two champions: too few to show.
    assert table(sources, "champions.overview") == {"Champions who gave sessions": [HIDDEN_TEXT]}
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    mine = signed_in(coordinator).get("/insights/").context["sources"]
    assert table(mine, "champions.organisations") == {
        "Library": ["6", "9", "6"],
        "Total": ["6", "9", "6"],
    }


def test_champions_sessions_are_in_the_area_of_their_request() -> None:
    area = Area.objects.create(name="Weymouth", slug="weymouth")
    PostcodeDistrict.objects.create(code="DT4", area=area)
    library = OrganisationFactory()
    sessions(5, library, help_request=HelpRequestFactory(organisation=library, area="DT4"))
    sessions(6, library)
    query = {"area_id": area.pk, "area_terms": ("DT4", "WEYMOUTH")}
    assert table(whole(**query), "champions.organisations")["Total"][0] == "5"


def test_loans_match_the_records() -> None:
    branch = OrganisationFactory(name="Weymouth Library", kind="library")
    other = OrganisationFactory(name="Dorchester Library", kind="library")
    now = timezone.now()

    def loans(count: int, where: Organisation, **fields: object) -> None:
        for _ in range(count):
            Loan.objects.create(
                device=DeviceFactory(branch=where, kind=fields.pop("kind", "tablet")),
                borrower=BorrowerFactory(branch=where),
                issued_at=now - timedelta(days=20),
                due_on=fields.get("due_on", TODAY + timedelta(days=10)),
                agreement="signed",
                condition_out="good",
                **{k: v for k, v in fields.items() if k != "due_on"},
            )

    loans(5, branch)
    loans(3, branch, due_on=TODAY - timedelta(days=1))
    loans(6, branch, status="returned", returned_at=now)
    loans(7, other, status="returned", returned_at=now)
    sources = whole()
    # Loans, returned, still out, overdue, lost
    by_branch = table(sources, "lending.organisations")
    assert by_branch["Weymouth Library"] == ["14", "6", "8", HIDDEN_TEXT, "0"]
    assert by_branch["Dorchester Library"] == ["7", "7", "0", "0", "0"]
    assert by_branch["Total"] == ["21", "13", "8", HIDDEN_TEXT, "0"]
    assert table(sources, "lending.kinds")["Tablet"] == ["21", "13", "8", HIDDEN_TEXT, "0"]
    lending = next(s for s in sources if s.name == "lending")
    assert lending.notes == ["Loans are counted by the branch that lent the device, not by area."]
