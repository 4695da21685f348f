"""Many threads, each with its own PostgreSQL connection, hitting one limit at
once: exactly the limit gets through (each slot is claimed once)."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import RequestFactory

from fingerpost.core import limits
from fingerpost.core.errors import RateLimited

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent connections are tested on PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_a_limit_holds_when_many_attempts_arrive_at_once(settings) -> None:
    settings.FINGERPOST_LIMITS_ENABLED = True
    settings.FINGERPOST_LIMITS = {"bookings": {"address": (7, 3600), "email": (100, 3600)}}
    count = 30
    barrier = threading.Barrier(count)
    allowed: list[int] = []
    refused: list[int] = []
    errors: list[BaseException] = []

    def attempt(n: int) -> None:
        request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.77")
        try:
            barrier.wait()
            limits.check(request, "bookings", email=f"p{n}@example.org")
            allowed.append(n)
        except RateLimited:
            refused.append(n)
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(allowed) == 7 and len(refused) == count - 7
