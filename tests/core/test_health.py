import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client


@pytest.mark.django_db
def test_healthz_answers_with_json(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_a_database_that_does_not_answer(client: Client, monkeypatch) -> None:
    def broken():
        raise OperationalError("database is down")

    monkeypatch.setattr(connection, "ensure_connection", broken)
    monkeypatch.setattr(connection, "close", lambda: None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_healthz_replaces_a_stale_connection_once(monkeypatch) -> None:
    from fingerpost.core import views

    tries: list[str] = []
    real = connection.ensure_connection

    def stale_first():
        real()
        if not tries:
            tries.append("stale")
            raise OperationalError("server closed the connection unexpectedly")
        tries.append("fresh")

    monkeypatch.setattr(connection, "ensure_connection", stale_first)
    monkeypatch.setattr(connection, "close", lambda: None)
    assert views.database_answers() is True
    assert tries == ["stale", "fresh"]


@pytest.mark.django_db
def test_healthz_checks_the_host(client: Client) -> None:
    assert client.get("/healthz", HTTP_HOST="evil.example").status_code == 400
