"""The presenter's screen tells the room the site's own address (and puts it
in the QR code), whatever host the presenter's laptop opened the page with."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from fingerpost.accounts.roles import Role
from fingerpost.quiz import services

from ..factories import UserFactory
from .factories import make_quiz

pytestmark = pytest.mark.django_db


def test_the_join_address_is_the_sites_not_the_presenters_host(settings: Any) -> None:
    settings.FINGERPOST_SITE_URL = "https://quiz.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    organiser = UserFactory(role=Role.ORGANISER)
    session = services.start_session(by=organiser, quiz_id=make_quiz(by=organiser).pk)
    client = Client()
    client.force_login(organiser)

    response = client.get(f"/quiz/present/{session.code}/", HTTP_HOST="localhost:8000")

    assert response.status_code == 200
    assert response.context["join_url"] == f"https://quiz.example.org/quiz/?code={session.code}"
    assert "quiz.example.org/quiz/" in response.content.decode()
    assert "localhost:8000" not in response.content.decode()
