"""How each app plugs itself into the parts every app shares.

An app declares, from its own `AppConfig.ready()`, what it adds:

- `add_nav_item`: entries in the service navigation;
- `add_home_panel`: a block on the home page (a template of the app's);
- `add_dashboard_panel`: a section of a signed-in person's "Your work" page;
- `add_timed_job`: work `fingerpost sweep` runs (offers that expire,
  reminders, retention);
- `add_demo_step`: the app's part of `fingerpost demo`;
- `add_personal_data`: where the app keeps residents' personal data, so a
  subject-access export and an erasure find all of it;
- `add_record_page`: how to link to the page of a record by its subject type
  and reference (the audit log and the messages page link to it);
- `add_page_panel`: a block on another app's page, at a named slot (such as
  "helpdesk.request" or "organisations.detail"), so that page shows what
  this app knows about its object without importing this app;
- `add_insight`: the app's figures for the insights dashboard and its API,
  as tables of counts for a period, organisations and an area.

`core` reads the registry and never imports an app. Everything registered is
kept in order (`order`, then name), and registering the same name again
replaces the earlier entry, so a repeated `ready()` changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from fingerpost.accounts.models import User


class Audience(Enum):
    """Who sees a navigation item."""

    SIGNED_OUT = "signed_out"
    SIGNED_IN = "signed_in"
    EVERYONE = "everyone"


@dataclass(frozen=True)
class NavEntry:
    name: str
    text: str
    url_name: str
    order: int
    audience: Audience = Audience.SIGNED_IN
    # A `rules` permission the person needs; None: everyone in the audience.
    permission: str | None = None


@dataclass(frozen=True)
class HomePanel:
    name: str
    template: str
    order: int


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Section:
    """One section of the "Your work" page."""

    title: str
    description: str
    links: list[Link] = field(default_factory=list)
    # Figures shown as a summary list above the links ("New requests: 4").
    figures: list[tuple[str, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class DashboardPanel:
    name: str
    order: int
    # The section for this person, or None when it is not for them.
    build: Callable[[User], Section | None]


@dataclass(frozen=True)
class TimedJob:
    """Idempotent work that must happen even if a deferred task was lost.
    `run(now=None)` returns how many things it did."""

    name: str
    run: Callable[..., int]
    order: int = 50


@dataclass(frozen=True)
class DemoStep:
    """`run(scale=N)` creates the app's demo data, idempotently; returns counts."""

    name: str
    run: Callable[..., dict[str, int]]
    order: int = 50


@dataclass(frozen=True)
class PersonalRecord:
    """A record that may be about the person staff are looking for. Staff
    confirm which records are theirs before anything is exported or erased."""

    source: str
    key: str
    title: str
    # What staff need to tell whose it is: name, dates, what it is about.
    summary: str
    matched_on: str


class PersonalDataSource(Protocol):
    """Where an app keeps residents' personal data."""

    name: str
    label: str

    def find(self, *, email: str, phone: str) -> list[PersonalRecord]: ...

    def export(self, *, keys: list[str], by: User) -> list[dict[str, Any]]: ...

    def erase(self, *, keys: list[str], by: User) -> int: ...


@dataclass(frozen=True)
class PagePanel:
    """`context(request, obj)` returns the template's context, or None to show nothing."""

    slot: str
    name: str
    template: str
    order: int
    context: Callable[[Any, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class InsightQuery:
    """What the figures are for: requests, events... from `start` to `end`
    (both days included)."""

    start: date
    end: date
    # None: the whole partnership; otherwise only these organisations' records.
    organisation_ids: frozenset[int] | None = None
    # An `organisations.Area`: its id, and the names and postcode districts
    # that mean it (upper case), for records that keep the area as text.
    area_id: int | None = None
    area_terms: tuple[str, ...] = ()

    def between(self) -> tuple[datetime, datetime]:
        """From the start of the first day to the start of the day after the last."""
        from django.utils import timezone

        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )

    def months(self) -> list[date]:
        """The first day of each month the period touches, so empty months show as 0."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months


@dataclass(frozen=True)
class InsightTable:
    """One table of figures; the dashboard draws a chart of its first column.

    `kind` says how small numbers are hidden: "parts" when each column's rows
    add up to its total (a person is in one row only), "counts" when they
    need not (one request, several needs), "measures" for values that are
    not counts of people (hours), each hidden when `bases` (the people
    behind the row) is under the smallest number shown."""

    key: str
    title: str
    label_heading: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, Sequence[int | float | None]]]
    kind: Literal["parts", "counts", "measures"] = "parts"
    bases: tuple[int, ...] = ()
    # Columns that count things, not people (events held): shown as they are.
    exact_columns: tuple[str, ...] = ()
    # What the figures count, for the summary in words ("requests").
    unit: str = ""
    # Shown under the title: what is counted, when it is not plain.
    note: str = ""


@dataclass(frozen=True)
class InsightSource:
    """`figures(query)` returns the source's tables, in a fixed number of
    aggregate queries whatever the volume."""

    name: str
    title: str
    order: int
    figures: Callable[[InsightQuery], list[InsightTable]]
    # Whether the records belong to organisations, or to areas; when not,
    # that filter does not apply and the page says so.
    by_organisation: bool = True
    by_area: bool = True
    note: str = ""


_nav: dict[str, NavEntry] = {}
_home: dict[str, HomePanel] = {}
_dashboard: dict[str, DashboardPanel] = {}
_timed_jobs: dict[str, TimedJob] = {}
_demo_steps: dict[str, DemoStep] = {}
_personal_data: dict[str, PersonalDataSource] = {}
_page_panels: dict[tuple[str, str], PagePanel] = {}
_record_pages: dict[str, Callable[[str], str]] = {}
_insights: dict[str, InsightSource] = {}


def add_nav_item(
    *,
    name: str,
    text: str,
    url_name: str,
    order: int,
    audience: Audience = Audience.SIGNED_IN,
    permission: str | None = None,
) -> None:
    _nav[name] = NavEntry(name, text, url_name, order, audience, permission)


def add_home_panel(*, name: str, template: str, order: int) -> None:
    _home[name] = HomePanel(name, template, order)


def add_dashboard_panel(*, name: str, order: int, build: Callable[[User], Section | None]) -> None:
    _dashboard[name] = DashboardPanel(name, order, build)


def add_timed_job(*, name: str, run: Callable[..., int], order: int = 50) -> None:
    _timed_jobs[name] = TimedJob(name, run, order)


def add_demo_step(*, name: str, run: Callable[..., dict[str, int]], order: int = 50) -> None:
    _demo_steps[name] = DemoStep(name, run, order)


def add_personal_data(source: PersonalDataSource) -> None:
    _personal_data[source.name] = source


def add_page_panel(
    *,
    slot: str,
    name: str,
    template: str,
    order: int,
    context: Callable[[Any, Any], dict[str, Any] | None],
) -> None:
    _page_panels[(slot, name)] = PagePanel(slot, name, template, order, context)


def add_record_page(*, subject_type: str, url: Callable[[str], str]) -> None:
    """`url(reference)` is the address of the page showing that record."""
    _record_pages[subject_type] = url


def add_insight(
    *,
    name: str,
    title: str,
    order: int,
    figures: Callable[[InsightQuery], list[InsightTable]],
    by_organisation: bool = True,
    by_area: bool = True,
    note: str = "",
) -> None:
    _insights[name] = InsightSource(name, title, order, figures, by_organisation, by_area, note)


def record_page(subject_type: str, reference: str) -> str:
    """The address of a record's page, or "" when no app shows that kind of record."""
    url = _record_pages.get(subject_type)
    return url(reference) if url and reference else ""


def _ordered(entries: dict[str, Any]) -> list[Any]:
    return sorted(entries.values(), key=lambda entry: (entry.order, entry.name))


def nav_items() -> list[NavEntry]:
    return _ordered(_nav)


def home_panels() -> list[HomePanel]:
    return _ordered(_home)


def dashboard_panels() -> list[DashboardPanel]:
    return _ordered(_dashboard)


def timed_jobs() -> list[TimedJob]:
    return _ordered(_timed_jobs)


def demo_steps() -> list[DemoStep]:
    return _ordered(_demo_steps)


def personal_data_sources() -> list[PersonalDataSource]:
    return sorted(_personal_data.values(), key=lambda source: source.label)


def insight_sources() -> list[InsightSource]:
    return _ordered(_insights)


def page_panels(slot: str) -> list[PagePanel]:
    return sorted(
        (panel for panel in _page_panels.values() if panel.slot == slot),
        key=lambda panel: (panel.order, panel.name),
    )
