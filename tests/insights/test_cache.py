"""The figures are kept for a few minutes, per source and per filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fingerpost.accounts.roles import Role
from tests.factories import HelpRequestFactory, OrganisationFactory, UserFactory

from .test_dashboard import table

pytestmark = pytest.mark.django_db


def test_the_figures_are_kept_for_a_while_per_filter(settings: object) -> None:
    settings.FINGERPOST_INSIGHTS_CACHE_SECONDS = 300  # type: ignore[attr-defined]
    library = OrganisationFactory(name="Library")
    for _ in range(5):
        HelpRequestFactory(organisation=library)
    client = Client()
    client.force_login(UserFactory(role=Role.ADMIN))
    first = client.get("/insights/")
    assert "worked out again every 5 minutes" in first.content.decode()
    with CaptureQueriesContext(connection) as fresh:
        client.get("/insights/", {"start": f"{timezone.localdate() - timedelta(days=30)}"})
    HelpRequestFactory(organisation=library)
    with CaptureQueriesContext(connection) as kept:
        again = client.get("/insights/")
    assert len(kept) < len(fresh)
    assert table(again.context["sources"], "helpdesk.overview")["Requests made"] == ["5"]
    # Another filter is worked out on its own.
    other = client.get("/insights/", {"organisation": library.slug})
    assert table(other.context["sources"], "helpdesk.overview")["Requests made"] == ["6"]
