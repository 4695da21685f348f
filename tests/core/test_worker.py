"""`fingerpost worker` survives database outages, takes back work of workers
that died, and says it is alive; the API answers every error in JSON; each
`fingerpost serve` has its own control socket."""

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils import timezone

from fingerpost.core import worker
from fingerpost.core.mail import enqueue_email
from fingerpost.core.management.commands.serve import control_socket_path
from fingerpost.core.models import OutboxMessage, WorkerHeartbeat
from fingerpost.core.views import server_error

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def make_worker(worker_id: str = "host-1") -> worker.DeliveringWorker:
    return worker.DeliveringWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_database_outage_and_logs_it_once(
    settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    settings.TASKS = DATABASE_QUEUE
    enqueue_email(subject="Hello", body="x", to=["a@example.org"])
    real_turn = worker.DeliveringWorker.turn
    outage = {"left": 4}

    def turn_during_outage(self: worker.DeliveringWorker) -> bool | None:
        if outage["left"]:
            outage["left"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return real_turn(self)

    monkeypatch.setattr(worker.DeliveringWorker, "turn", turn_during_outage)
    monkeypatch.setattr(worker.time, "sleep", lambda seconds: None)
    with caplog.at_level(logging.WARNING, logger="fingerpost.core.worker"):
        make_worker().run()
    from django.core import mail

    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    logged = [r.getMessage() for r in caplog.records]
    assert sum("Database unavailable" in line for line in logged) == 1
    assert sum("Database reachable again" in line for line in logged) == 1


@pytest.mark.django_db(transaction=True)
def test_a_restarted_worker_takes_back_its_own_claims_at_once(settings: Any) -> None:
    from fingerpost.core import outbox

    settings.TASKS = DATABASE_QUEUE
    message = enqueue_email(subject="Hello", body="x", to=["a@example.org"])
    assert message is not None
    outbox.claim_next(worker_id="host-1")  # then the process was killed
    make_worker("host-1").run()
    message.refresh_from_db()
    assert message.status == "sent"


@pytest.mark.django_db(transaction=True)
def test_tasks_of_a_worker_that_stopped_go_back_to_the_queue(settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from fingerpost.events.tasks import expire_offers_for_event

    settings.TASKS = DATABASE_QUEUE
    expire_offers_for_event.enqueue(event_id=1)
    task_result = DBTaskResult.objects.get()
    task_result.claim("dead-worker")
    assert worker.requeue_stuck_tasks() == 0  # just started: it may still be running
    DBTaskResult.objects.update(
        started_at=timezone.now() - timedelta(seconds=settings.FINGERPOST_WORKER_STALE_SECONDS + 1)
    )
    worker.beat("dead-worker")
    assert worker.requeue_stuck_tasks() == 0  # its worker is alive
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
    assert worker.requeue_stuck_tasks() == 1
    assert DBTaskResult.objects.get().status == "READY"


@pytest.mark.django_db
def test_worker_health_says_whether_a_worker_is_alive(client: Client) -> None:
    response = client.get("/healthz/worker")
    assert response.status_code == 503 and response.json()["workers"] == 0
    worker.beat("host-1")
    OutboxMessage.objects.create(reference="r1", to=["a@example.org"], status="failed")
    response = client.get("/healthz/worker")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok" and body["workers"] == 1
    assert body["messages"]["failed"] == 1


@pytest.mark.django_db
def test_an_api_crash_is_json(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from fingerpost.organisations import api as organisations_api

    def crash(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("the connection was lost")

    monkeypatch.setattr(organisations_api, "organisation_list", crash)
    response = client.get("/api/v1/organisations/")
    assert response.status_code == 503 and response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "2" and "detail" in response.json()


def test_errors_outside_the_api_routers_are_json_under_api() -> None:
    factory = RequestFactory()
    response = server_error(factory.get("/api/v1/events/"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    page = server_error(factory.get("/events/"))
    assert page.status_code == 500 and b"<html" in page.content.lower()


@pytest.mark.django_db
def test_an_unknown_api_address_is_a_json_404(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found"}


def test_each_serve_instance_has_its_own_control_socket(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.delenv("FINGERPOST_CONTROL_SOCKET", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    first = control_socket_path("127.0.0.1", 8000)
    second = control_socket_path("127.0.0.1", 8001)
    assert first != second and first.startswith(str(tmp_path))
    monkeypatch.setenv("FINGERPOST_CONTROL_SOCKET", "off")
    assert control_socket_path("127.0.0.1", 8000) == ""
