"""The queue counts open requests from a partial index of them, so closed
requests piling up over the years do not make the queue slower."""

import pytest
from django.db import connection

from fingerpost.accounts.roles import Role
from fingerpost.helpdesk import queries
from fingerpost.helpdesk.models import HelpRequest, Status

from ..factories import HelpRequestFactory, UserFactory


@pytest.mark.django_db
def test_open_requests_have_their_own_index() -> None:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, HelpRequest._meta.db_table)
    columns = found["helpreq_open"]["columns"]
    assert columns[:5] == ["organisation_id", "status", "priority", "created_at", "town_id"]
    # The id is included where the database has covering indexes.
    assert columns[5:] == (["id"] if connection.features.supports_covering_indexes else [])


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_queue_is_counted_from_the_open_requests_index() -> None:
    help_request = HelpRequestFactory()
    HelpRequestFactory(organisation=help_request.organisation, status=Status.TRIAGED)
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=help_request.organisation)
    sql, params = queries.queue(coordinator).order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows would be read whole; the plan is what 100,000 get.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT count(*) FROM ({sql}) queue", params)  # noqa: S608
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "helpreq_open" in plan, plan


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's covering indexes")
def test_the_need_filter_is_counted_from_the_open_requests_index() -> None:
    help_request = HelpRequestFactory(with_needs=["email"])
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=help_request.organisation)
    found = queries.queue(coordinator, need="email", priority=help_request.priority)
    assert found.count() == 1
    sql, params = found.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN SELECT count(*) FROM ({sql}) queue", params)  # noqa: S608
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The ids come from the index (it includes them), not from the requests.
    assert "Index Only Scan using helpreq_open" in plan, plan


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_area_filter_reads_the_open_requests_of_that_area() -> None:
    from fingerpost.organisations.models import Area

    Area.objects.create(name="Weymouth", slug="weymouth")
    help_request = HelpRequestFactory(area="Weymouth", status=Status.TRIAGED)
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=help_request.organisation)
    # Many open requests of the same status elsewhere, as at 100,000, so the
    # planner weighs reading them all against the two indexes.
    HelpRequest.objects.bulk_create(
        HelpRequest(organisation=help_request.organisation, status=Status.TRIAGED, area="Poole")
        for _ in range(3000)
    )
    found = queries.queue(coordinator, status=Status.TRIAGED, area="weymouth")
    assert list(found) == [help_request]
    sql, params = found.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {HelpRequest._meta.db_table}")
        cursor.execute(f"EXPLAIN SELECT count(*) FROM ({sql}) queue", params)  # noqa: S608
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The town from one index, the text typed from the other, OR-ed.
    assert "helpreq_open_area" in plan, plan
