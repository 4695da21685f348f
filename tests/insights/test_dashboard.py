"""The insights dashboard: its figures agree with the records, small numbers
are hidden, each person sees only their organisations' figures (an admin the
whole partnership's), and every role gets the right answer at every URL."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.core.disclosure import HIDDEN_TEXT, SECONDARY_TEXT
from fingerpost.core.registry import InsightQuery
from fingerpost.events.models import Booking
from fingerpost.helpdesk.models import HelpRequestNeed
from fingerpost.insights import figures
from fingerpost.organisations.models import Area, Organisation, PostcodeDistrict
from fingerpost.skills.framework import AREAS
from fingerpost.skills.models import SkillsCheckResult
from tests.factories import (
    BookingFactory,
    EventFactory,
    HelpRequestFactory,
    OrganisationFactory,
    UserFactory,
    grant_role,
)
from tests.querycount import assert_flat_query_count

pytestmark = pytest.mark.django_db

URL = "/insights/"
TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=3 * 365)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def requests(
    count: int,
    organisation: Organisation,
    *,
    needs: tuple[str, ...] = ("email",),
    made: date | None = None,
    **fields: Any,
) -> None:
    when = at(made or TODAY)
    for _ in range(count):
        HelpRequestFactory(
            organisation=organisation, created_at=when, with_needs=list(needs), **fields
        )


def closed(outcome: str) -> dict[str, Any]:
    return {"status": "closed", "outcome": outcome, "closed_at": timezone.now()}


def table(sources: list[figures.Source], key: str) -> dict[str, list[str]]:
    found = figures.find_table(sources, key)
    assert found is not None, key
    rows = {row.label: [cell.text for cell in row.cells] for row in found.rows}
    if found.total:
        rows["Total"] = [cell.text for cell in found.total.cells]
    return rows


def whole(start: date = LONG_AGO, end: date = TODAY, **kwargs: Any) -> list[figures.Source]:
    return figures.dashboard(InsightQuery(start=start, end=end, **kwargs))


def coordinator_of(organisation: Organisation) -> User:
    return UserFactory(role=Role.COORDINATOR, role__organisation=organisation)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The numbers agree with the records.


def test_help_desk_figures_match_the_records() -> None:
    library, council = OrganisationFactory(name="Library"), OrganisationFactory(name="Council")
    requests(6, library, needs=("email", "video_calls"), **closed("helped"))
    requests(5, library, needs=("video_calls",), **closed("ebooks"))
    requests(7, council, needs=("staying_safe",))
    requests(9, council, made=TODAY - timedelta(days=4 * 365))  # before the period
    sources = whole()
    assert table(sources, "helpdesk.overview") == {
        "Requests made": ["18"],
        "People helped": ["11"],
        "Contacted at least once": ["0"],
        "Still open": ["7"],
    }
    needs = table(sources, "helpdesk.needs")
    assert needs["Video calls with family and friends"] == ["11"]
    assert needs["Email and messaging"] == ["6"]
    assert needs["Staying safe online"] == ["7"]
    assert needs["Finding work"] == ["0"]
    outcomes = table(sources, "helpdesk.outcomes")
    assert outcomes["Helped"] == ["6"]
    assert outcomes["Helped to use e-books"] == ["5"]
    assert outcomes["Not closed yet"] == ["7"]
    assert outcomes["Total"] == ["18"]
    assert table(sources, "helpdesk.organisations") == {
        "Council": ["7", "0"],
        "Library": ["11", "11"],
        "Total": ["18", "11"],
    }
    months = table(sources, "helpdesk.months")
    assert months[f"{TODAY:%B %Y}"] == ["18", "11"]
    assert len(months) == len(InsightQuery(start=LONG_AGO, end=TODAY).months()) + 1


def test_time_to_first_contact_is_the_median_and_90th_percentile() -> None:
    library = OrganisationFactory()
    made = timezone.now() - timedelta(days=2)
    for hours in (1, 2, 3, 4, 10):
        HelpRequestFactory(
            organisation=library, created_at=made, first_contact_at=made + timedelta(hours=hours)
        )
    first_contact = table(whole(), "helpdesk.first_contact")
    assert first_contact["Median"] == ["3.0"]
    # percentile_cont: 4 + 0.6 * (10 - 4)
    assert first_contact["90th percentile"] == ["7.6"]


def test_time_to_first_contact_of_fewer_than_five_people_is_hidden() -> None:
    made = timezone.now() - timedelta(days=2)
    HelpRequestFactory(created_at=made, first_contact_at=made + timedelta(hours=1))
    first_contact = table(whole(), "helpdesk.first_contact")
    assert set(map(tuple, first_contact.values())) == {(HIDDEN_TEXT,)}


def test_event_attendance_and_no_shows_match_the_bookings() -> None:
    organisation = OrganisationFactory(name="Library")
    started = timezone.now() - timedelta(days=3)
    held = EventFactory(
        organisation=organisation,
        kind="drop_in",
        starts_at=started,
        ends_at=started + timedelta(hours=2),
    )
    for _ in range(6):
        BookingFactory(event=held, checked_in_at=started)
    for _ in range(5):
        BookingFactory(event=held)  # did not come
    BookingFactory(event=held, places=3, checked_in_at=started)
    BookingFactory(event=held, status="cancelled")
    BookingFactory(event=held, is_walk_in=True, email="", checked_in_at=started)
    coming = EventFactory(organisation=organisation, kind="drop_in")
    for _ in range(5):
        BookingFactory(event=coming)  # not a no-show yet
    EventFactory(organisation=organisation, status="draft")
    sources = whole(end=TODAY + timedelta(days=30))
    # Events, places booked, attended, no-shows
    assert table(sources, "events.kinds")["Drop-in session"] == ["2", "19", "10", "5"]
    assert table(sources, "events.organisations") == {
        "Library": ["2", "19", "10", "5"],
        "Total": ["2", "19", "10", "5"],
    }


def test_skills_gaps_by_area_match_the_results() -> None:
    weymouth = Area.objects.create(name="Weymouth", slug="weymouth")
    values = {f"gaps_{area.key}": 0 for area in AREAS}
    SkillsCheckResult.objects.bulk_create(
        [SkillsCheckResult(**values, area=weymouth) for _ in range(8)]
        + [SkillsCheckResult(**values | {"gaps_transacting": 2}, area=weymouth) for _ in range(6)]
        + [SkillsCheckResult(**values | {"gaps_communicating": 1}) for _ in range(5)]
    )
    sources = whole()
    assert table(sources, "skills.areas") == {
        "Area not given": ["5"],
        "Weymouth": ["14"],
        "Total": ["19"],
    }
    parts = table(sources, "skills.parts")
    assert parts["Buying things and using services"] == ["6"]
    assert parts["Talking to people online"] == ["5"]
    gaps = table(sources, "skills.area_gaps")
    transacting = [str(a.title) for a in AREAS].index("Buying things and using services")
    assert gaps["Weymouth"][transacting] == "6"
    assert table(whole(area_id=weymouth.pk), "skills.areas") == {
        "Weymouth": ["14"],
        "Total": ["14"],
    }


def test_an_area_means_its_names_and_postcode_districts() -> None:
    area = Area.objects.create(name="Weymouth", slug="weymouth", other_names="Wyke Regis")
    PostcodeDistrict.objects.create(code="DT4", area=area)
    library = OrganisationFactory()
    requests(5, library, area="DT4")
    requests(2, library, area="Weymouth")
    requests(3, library, area="Wyke Regis")
    requests(6, library, area="DT1")
    client = signed_in(UserFactory(role=Role.ADMIN))
    response = client.get(URL, {"area": "weymouth", "start": LONG_AGO.isoformat()})
    assert response.status_code == 200
    sources = response.context["sources"]
    assert table(sources, "helpdesk.overview")["Requests made"] == ["10"]
    assert (
        "The area chosen does not apply to these figures."
        in next(s for s in sources if s.name == "events").notes
    )


# Small numbers are hidden, so nobody can be identified.


def test_small_numbers_are_hidden_and_cannot_be_worked_out() -> None:
    library, council = OrganisationFactory(name="Library"), OrganisationFactory(name="Council")
    village = OrganisationFactory(name="Village hall")
    requests(3, library, needs=("finding_work",))
    requests(9, council, needs=("email",))
    requests(20, village, needs=("email",))
    sources = whole()
    by_organisation = table(sources, "helpdesk.organisations")
    # 3 is hidden, and so is the next smallest (9), or 3 = 32 - 9 - 20.
    assert by_organisation["Library"][0] == HIDDEN_TEXT
    assert by_organisation["Council"][0] == SECONDARY_TEXT
    assert by_organisation["Village hall"][0] == "20"
    assert by_organisation["Total"][0] == "32"
    # Needs are judged one by one (a request can have several).
    needs = table(sources, "helpdesk.needs")
    assert needs["Finding work"] == [HIDDEN_TEXT]
    assert needs["Email and messaging"] == ["29"]


def test_a_tiny_total_hides_every_part(client: Client) -> None:
    requests(2, OrganisationFactory(), **closed("helped"))
    outcomes = table(whole(), "helpdesk.outcomes")
    assert outcomes["Helped"] == [HIDDEN_TEXT]
    assert outcomes["Total"] == [HIDDEN_TEXT]
    assert outcomes["Declined help"] == ["0"]


def test_the_page_downloads_and_api_hide_the_same_figures() -> None:
    library = OrganisationFactory(name="Library")
    coordinator = coordinator_of(library)
    requests(3, library, needs=("finding_work",))
    requests(6, library, needs=("email",))
    client = signed_in(coordinator)
    page = client.get(URL).content.decode()
    assert HIDDEN_TEXT in page
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(URL, {"table": "helpdesk.needs", "format": "csv"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert csv_rows[0] == ["Need", "Requests"]
    assert ["Finding work", HIDDEN_TEXT] in csv_rows
    assert ["Email and messaging", "6"] in csv_rows
    workbook = load_workbook(
        io.BytesIO(client.get(URL, {"table": "helpdesk.needs", "format": "xlsx"}).content)
    )
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert ("Finding work", HIDDEN_TEXT) in sheet_rows
    assert ("Email and messaging", 6) in sheet_rows
    api = client.get("/api/v1/insights/").json()
    helpdesk = next(s for s in api["sources"] if s["name"] == "helpdesk")
    needs = next(t for t in helpdesk["tables"] if t["key"] == "helpdesk.needs")
    finding_work = next(r for r in needs["rows"] if r["label"] == "Finding work")
    assert finding_work["cells"] == [{"value": None, "text": HIDDEN_TEXT, "hidden": True}]


def test_every_table_downloads_as_csv_and_excel() -> None:
    requests(6, OrganisationFactory())
    client = signed_in(UserFactory(role=Role.ADMIN))
    sources = client.get(URL).context["sources"]
    keys = [t.key for s in sources for t in s.tables]
    assert {"helpdesk.months", "events.months", "skills.area_gaps"} <= set(keys)
    for key in [*keys, ""]:
        for fmt, kind in (("csv", "text/csv"), ("xlsx", "spreadsheetml")):
            response = client.get(URL, {"table": key, "format": fmt})
            assert response.status_code == 200, (key, fmt)
            assert kind in response["Content-Type"]
            assert "attachment" in response["Content-Disposition"]
    everything = client.get(URL, {"format": "csv"}).content.decode("utf-8-sig")
    assert everything.startswith("Table,Row,Measure,Value")
    assert client.get(URL, {"table": "nothing", "format": "csv"}).status_code == 404
    assert client.get(URL, {"format": "pdf"}).status_code == 404


# Each person sees their own organisations' figures; an admin sees them all.


def test_a_coordinator_sees_only_their_organisations_figures() -> None:
    library, council = OrganisationFactory(name="Library"), OrganisationFactory(name="Council")
    branch = OrganisationFactory(name="Branch library", parent=library)
    requests(5, library)
    requests(6, branch)
    requests(7, council)
    client = signed_in(coordinator_of(library))
    sources = client.get(URL).context["sources"]
    assert table(sources, "helpdesk.organisations") == {
        "Branch library": ["6", "0"],
        "Library": ["5", "0"],
        "Total": ["11", "0"],
    }
    only_branch = client.get(URL, {"organisation": branch.slug}).context["sources"]
    assert table(only_branch, "helpdesk.overview")["Requests made"] == ["6"]
    with_branches = client.get(URL, {"organisation": library.slug}).context["sources"]
    assert table(with_branches, "helpdesk.overview")["Requests made"] == ["11"]
    refused = client.get(URL, {"organisation": council.slug})
    assert refused.status_code == 400
    assert "Choose one of your organisations from the list" in refused.content.decode()
    assert "sources" not in refused.context
    api = client.get("/api/v1/insights/", {"organisation": council.slug})
    assert api.status_code == 422
    assert api.json() == {
        "detail": "Choose one of your organisations from the list",
        "field": "organisation",
    }


def test_an_organiser_sees_their_organisations_events() -> None:
    mine, other = OrganisationFactory(name="Mine"), OrganisationFactory(name="Other")
    organiser = UserFactory(role=Role.ORGANISER, role__organisation=mine)
    started = timezone.now() - timedelta(days=1)
    for organisation in (mine, other):
        event = EventFactory(organisation=organisation, starts_at=started, ends_at=None)
        for _ in range(5):
            BookingFactory(event=event, checked_in_at=started)
    sources = signed_in(organiser).get(URL).context["sources"]
    assert table(sources, "events.organisations") == {
        "Mine": ["1", "5", "5", "0"],
        "Total": ["1", "5", "5", "0"],
    }


def test_an_admin_sees_the_whole_partnership() -> None:
    requests(5, OrganisationFactory(name="Library"))
    requests(6, OrganisationFactory(name="Council"))
    response = signed_in(UserFactory(role=Role.ADMIN)).get(URL)
    assert table(response.context["sources"], "helpdesk.overview")["Requests made"] == ["11"]
    assert "The whole partnership" in response.content.decode()


def test_someone_with_two_roles_sees_both_organisations() -> None:
    library, council = OrganisationFactory(name="Library"), OrganisationFactory(name="Council")
    person = coordinator_of(library)
    grant_role(person, Role.ORGANISER, council)
    requests(5, library)
    requests(6, council)
    requests(7, OrganisationFactory(name="Elsewhere"))
    sources = signed_in(person).get(URL).context["sources"]
    assert set(table(sources, "helpdesk.organisations")) == {"Library", "Council", "Total"}


# Filters: bad input gets a clear message and no figures.


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "31/02/2026"}, "Enter a real date for the start, like 1/4/2026"),
        ({"end": "tomorrow"}, "Enter a real date for the end, like 31/3/2027"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "The end date must be the same as or after"),
        ({"start": "1900-01-01"}, "Enter a date between 2000 and 2099"),
        ({"start": "2001-01-01", "end": "2020-01-01"}, "Choose a period of 5 years or less"),
        ({"area": "atlantis"}, "Choose an area from the list"),
        ({"organisation": "\u200b"}, "Choose one of your organisations from the list"),
    ],
)
def test_bad_filters_are_refused_with_a_clear_message(query: dict[str, str], message: str) -> None:
    client = signed_in(UserFactory(role=Role.ADMIN))
    response = client.get(URL, query)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "<title>Error: " in body
    api = client.get("/api/v1/insights/", query)
    assert api.status_code == 422
    assert message in api.json()["detail"]


def test_the_period_filters_every_source() -> None:
    library = OrganisationFactory()
    requests(5, library, made=date(2025, 3, 10))
    requests(6, library, made=date(2025, 4, 10))
    client = signed_in(UserFactory(role=Role.ADMIN))
    response = client.get(URL, {"start": "1/3/2025", "end": "31/3/2025"})
    sources = response.context["sources"]
    assert table(sources, "helpdesk.months") == {"March 2025": ["5", "0"], "Total": ["5", "0"]}
    api = client.get("/api/v1/insights/", {"start": "2025-04-01", "end": "2025-04-30"}).json()
    assert (api["start"], api["end"]) == ("2025-04-01", "2025-04-30")
    overview = next(
        t for s in api["sources"] for t in s["tables"] if t["key"] == "helpdesk.overview"
    )
    assert overview["rows"][0] == {
        "label": "Requests made",
        "cells": [{"value": 6, "text": "6", "hidden": False}],
    }


# Every chart has a table beside it and a summary in words.


def test_every_chart_is_an_svg_with_its_table_and_summary() -> None:
    requests(12, OrganisationFactory(name="Library"), **closed("helped"))
    response = signed_in(UserFactory(role=Role.ADMIN)).get(URL)
    body = response.content.decode()
    tables = [t for s in response.context["sources"] for t in s.tables]
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" class="fp-chart" role="img"') == len(
        tables
    )
    assert body.count('<table class="govuk-table">') == len(tables)
    organisations = figures.find_table(response.context["sources"], "helpdesk.organisations")
    assert organisations is not None
    assert organisations.summary == (
        "Requests: 12 in all; the most for Library (12). "
        "People helped: 12 in all; the most for Library (12)."
    )
    assert organisations.summary in body
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]


# Role by URL: the page, a download and the API.


def _user(role: str) -> User | None:
    if role == "anonymous":
        return None
    if role == "two roles":
        person = UserFactory(role=Role.CHAMPION)
        grant_role(person, Role.COORDINATOR)
        return person
    return UserFactory(role=role)


ALLOWED = {Role.COORDINATOR, Role.ORGANISER, Role.ADMIN, "two roles"}


@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "",
        Role.MEMBER,
        Role.CHAMPION,
        Role.COORDINATOR,
        Role.ORGANISER,
        Role.ADMIN,
        "two roles",
    ],
)
@pytest.mark.parametrize(
    "path", [URL, f"{URL}?table=helpdesk.needs&format=csv", "/api/v1/insights/"]
)
def test_who_may_see_the_insights(role: str, path: str) -> None:
    user = _user(role)
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    if role in ALLOWED:
        assert response.status_code == 200
    elif role == "anonymous" and not path.startswith("/api/"):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code in (401, 403) if path.startswith("/api/") else 403


def test_only_reads_are_allowed() -> None:
    client = signed_in(UserFactory(role=Role.ADMIN))
    assert client.post(URL).status_code == 405
    assert client.post("/api/v1/insights/").status_code == 405


def test_the_dashboard_and_the_your_work_page_link_to_it() -> None:
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    assert 'href="/insights/"' in client.get("/dashboard/").content.decode()
    member = signed_in(UserFactory(role=Role.MEMBER))
    assert 'href="/insights/"' not in member.get("/dashboard/").content.decode()


# Aggregate and flat: more records, no more queries.


def test_the_dashboard_makes_no_more_queries_with_more_records() -> None:
    library = OrganisationFactory()
    client = signed_in(coordinator_of(library))
    area = Area.objects.create(name="Weymouth", slug="weymouth")

    def more() -> None:
        requests(5, library, needs=("email", "video_calls"), **closed("helped"))
        event = EventFactory(organisation=library)
        for _ in range(3):
            BookingFactory(event=event)
        SkillsCheckResult.objects.create(**{f"gaps_{a.key}": 1 for a in AREAS}, area=area)
        HelpRequestNeed.objects.filter(need="other").delete()

    more()
    assert_flat_query_count(client, URL, more)
    assert_flat_query_count(client, "/api/v1/insights/", more)
    assert_flat_query_count(client, f"{URL}?area=weymouth&format=xlsx", more)


def test_bookings_are_never_read_one_by_one() -> None:
    # The figures come from aggregates: no booking is loaded as a model.
    loaded: list[Any] = []
    original = Booking.__init__

    def spy(self: Booking, *args: Any, **kwargs: Any) -> None:
        loaded.append(self)
        original(self, *args, **kwargs)

    BookingFactory()
    Booking.__init__ = spy  # type: ignore[method-assign]
    try:
        whole()
    finally:
        Booking.__init__ = original  # type: ignore[method-assign]
    assert loaded == []


# The sources come from the apps through the registry.


def test_each_app_registers_its_source_and_insights_imports_none() -> None:
    import re
    from pathlib import Path

    from fingerpost.core import registry

    sources = {s.name: s for s in registry.insight_sources()}
    assert {"helpdesk", "champions", "lending", "events", "skills"} <= set(sources)
    assert not sources["skills"].by_organisation
    assert not sources["events"].by_area
    app = Path(figures.__file__).parent
    domain = re.compile(r"fingerpost\.(events|helpdesk|skills|directory|champions|lending)\b")
    offenders = [
        f"{path.name}: {match.group(0)}"
        for path in app.rglob("*.py")
        for match in domain.finditer(path.read_text())
    ]
    assert offenders == []
