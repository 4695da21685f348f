"""Query-count assertions: a list page must make the same number of queries
however much data there is (`assert_flat_query_count`), and a write makes
exactly the number of queries pinned for it (`assert_query_count`), so a
change that adds queries to a booking or a triage shows up in review."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

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


@contextmanager
def assert_query_count(expected: int) -> Iterator[None]:
    """The block makes exactly `expected` database queries (savepoints
    included); on a mismatch the message lists every query made."""
    with CaptureQueriesContext(connection) as captured:
        yield
    made = captured.captured_queries
    listing = "\n".join(f"{n}. {query['sql']}" for n, query in enumerate(made, 1))
    assert len(made) == expected, f"{len(made)} queries, expected {expected}:\n{listing}"
