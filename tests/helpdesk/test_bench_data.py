"""bench/helpdesk_data.py builds the help-desk bench's requests in bulk, with
needs and timelines, and shrinks back to a smaller size."""

import sys
from pathlib import Path

import pytest

from fingerpost.helpdesk.models import HelpRequest, HelpRequestNeed, TimelineEntry

from ..factories import HelpRequestFactory, OrganisationFactory

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import helpdesk_data


@pytest.mark.django_db
def test_the_bench_reaches_each_size_with_needs_and_timelines() -> None:
    OrganisationFactory(kind="library")
    kept = HelpRequestFactory()
    helpdesk_data.ensure_requests(300)
    assert HelpRequest.objects.count() == 300
    bench = HelpRequest.objects.filter(reference__startswith=helpdesk_data.PREFIX)
    assert bench.count() == 299
    assert {"new", "closed"} <= set(bench.values_list("status", flat=True))
    assert HelpRequestNeed.objects.filter(request__in=bench).count() >= 299
    assert TimelineEntry.objects.filter(request__in=bench).count() >= 299
    assert not bench.filter(status="closed", outcome="").exists()

    helpdesk_data.ensure_requests(50)
    assert HelpRequest.objects.count() == 50
    assert HelpRequest.objects.filter(pk=kept.pk).exists()
    # The first bench requests are the ones kept, their needs and timelines too.
    assert bench.order_by("pk").first().reference == f"{helpdesk_data.PREFIX}0000000"
    assert not TimelineEntry.objects.exclude(request__in=HelpRequest.objects.all()).exists()
    assert not HelpRequestNeed.objects.exclude(request__in=HelpRequest.objects.all()).exists()
