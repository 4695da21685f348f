"""Query-count assertions for list pages: a page must make the same number of
queries however much data there is."""

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured.captured_queries)


def assert_flat_query_count(client: Client, url: str, add_more_data: Callable[[], None]) -> int:
    """Count the queries `url` makes, add data, count again: they must match."""
    before = count_queries(client, url)
    add_more_data()
    after = count_queries(client, url)
    assert before == after, f"{url} made {before} queries, then {after} with more data"
    return after
