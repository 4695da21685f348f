"""The help desk's figures for the insights dashboard (`core.registry.add_insight`):
requests made in the period, people helped, needs, outcomes and time to first
contact, by month and by organisation. Three aggregate queries whatever the volume."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, Upper
from django.utils import timezone

from fingerpost.core.registry import InsightQuery, InsightTable

from .models import HelpRequest, HelpRequestNeed, Need, Outcome, Status
from .reports import first_contact_waits

HELPED = Q(outcome__in=[Outcome.HELPED, Outcome.HELPED_WITH_EBOOKS])


def requests_for(query: InsightQuery) -> QuerySet[HelpRequest]:
    """Requests made in the period, for the organisations and area asked about."""
    begin, finish = query.between()
    requests = HelpRequest.objects.filter(created_at__gte=begin, created_at__lt=finish)
    if query.organisation_ids is not None:
        requests = requests.filter(organisation_id__in=query.organisation_ids)
    if query.area_id is not None:
        # The area is kept as text (a postcode district or a town) so that it
        # survives anonymisation: match every name and district of the area.
        requests = requests.alias(area_upper=Upper("area")).filter(area_upper__in=query.area_terms)
    return requests.order_by()


def _hours(value: object) -> float | None:
    seconds = getattr(value, "total_seconds", None)
    return None if seconds is None else round(seconds() / 3600, 1)


def figures(query: InsightQuery) -> list[InsightTable]:
    requests = requests_for(query)
    tz = timezone.get_current_timezone()
    # One scan of the period, grouped by month and organisation; every other
    # breakdown of the requests is a sum of these few rows.
    groups: list[dict[str, Any]] = [
        dict(group)
        for group in requests.annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("month", "organisation__name")
        .annotate(
            total=Count("pk"),
            helped=Count("pk", filter=HELPED),
            contacted=Count("pk", filter=Q(first_contact_at__isnull=False)),
            still_open=Count("pk", filter=~Q(status=Status.CLOSED)),
            **{
                f"outcome:{value}": Count("pk", filter=Q(status=Status.CLOSED, outcome=value))
                for value in Outcome.values
            },
        )
        .order_by()
    ]
    counts: dict[str, int] = defaultdict(int)
    by_month: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    by_name: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for group in groups:
        for key, value in group.items():
            if key not in ("month", "organisation__name"):
                counts[key] += value
        month = by_month[group["month"].date()]
        organisation = by_name[group["organisation__name"]]
        for totals in (month, organisation):
            totals[0] += group["total"]
            totals[1] += group["helped"]
    needs = dict(
        HelpRequestNeed.objects.filter(request__in=requests)
        .values_list("need")
        .annotate(n=Count("pk"))
        .order_by()
    )
    median, p90 = first_contact_waits(
        requests.filter(first_contact_at__isnull=False), counts["contacted"]
    )
    return [
        InsightTable(
            key="helpdesk.overview",
            note="Requests made in the period; people helped are those closed as helped "
            "(e-books included).",
            title="Requests for help",
            label_heading="Measure",
            columns=("Requests",),
            rows=[
                ("Requests made", (counts["total"],)),
                ("People helped", (counts["helped"],)),
                ("Contacted at least once", (counts["contacted"],)),
                ("Still open", (counts["still_open"],)),
            ],
            kind="counts",
            unit="requests",
        ),
        InsightTable(
            key="helpdesk.months",
            title="Requests for help by month",
            label_heading="Month",
            columns=("Requests", "People helped"),
            rows=[
                (f"{month:%B %Y}", tuple(by_month.get(month, (0, 0)))) for month in query.months()
            ],
            unit="requests",
        ),
        InsightTable(
            key="helpdesk.organisations",
            title="Requests for help by organisation",
            label_heading="Organisation",
            columns=("Requests", "People helped"),
            rows=[(name, tuple(values)) for name, values in sorted(by_name.items())],
            unit="requests",
        ),
        InsightTable(
            key="helpdesk.needs",
            title="What people asked for help with",
            label_heading="Need",
            columns=("Requests",),
            rows=[(str(label), (needs.get(value, 0),)) for value, label in Need.choices],
            kind="counts",
            unit="requests",
            note="One request can ask for help with several things.",
        ),
        InsightTable(
            key="helpdesk.outcomes",
            title="Outcomes",
            label_heading="Outcome",
            columns=("Requests",),
            rows=[
                *((str(label), (counts[f"outcome:{value}"],)) for value, label in Outcome.choices),
                ("Not closed yet", (counts["still_open"],)),
            ],
            unit="requests",
        ),
        InsightTable(
            key="helpdesk.first_contact",
            title="Time to first contact",
            label_heading="Measure",
            columns=("Hours",),
            rows=[
                ("Median", (_hours(median),)),
                ("90th percentile", (_hours(p90),)),
            ],
            kind="measures",
            bases=(counts["contacted"], counts["contacted"]),
            unit="hours",
            note=(
                "Of the requests contacted: half were contacted sooner than the median, "
                "nine in ten sooner than the 90th percentile."
            ),
        ),
    ]
