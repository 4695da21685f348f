"""The weekly digest: recorded once a week for each person who chose it,
built by the worker, with List-Unsubscribe headers and a one-click
unsubscribe that needs no sign-in."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from fingerpost.core.models import OutboxMessage
from fingerpost.network import digest, notifications
from fingerpost.network.models import Post, Profile

from . import factories

pytestmark = pytest.mark.django_db


def test_one_digest_a_week_with_what_happened(django_capture_on_commit_callbacks) -> None:
    reader = factories.member()
    writer = factories.member()
    topic = factories.topic(by=writer, title="Web development")
    post = factories.post(topic, by=writer, body="New pattern library released")
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(days=1))
    factories.link_resource(by=writer, title="Pattern library")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_weekly_digests() == 2  # reader and writer
    assert digest.send_weekly_digests() == 0  # the same week again: nothing new
    [email] = [m for m in mail.outbox if reader.email in m.to]
    assert "This week in the" in email.subject
    assert "New pattern library released" in email.body and "Pattern library" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/network/unsubscribe/" in link
    assert email.alternatives and "Stop the weekly digest" in email.alternatives[0][0]
    assert OutboxMessage.objects.filter(kind="network.digest").count() == 2


def test_nobody_who_said_no_and_no_empty_digest(django_capture_on_commit_callbacks) -> None:
    quiet = factories.member(weekly_digest=False)
    factories.member()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        digest.send_weekly_digests()
    assert not [m for m in mail.outbox if quiet.email in m.to]
    assert not mail.outbox  # nothing happened this week, so nothing is sent


def test_one_click_unsubscribe_without_signing_in() -> None:
    user = factories.member()
    token = notifications.unsubscribe_token(user.pk, "digest")
    client = Client(enforce_csrf_checks=True)
    url = f"/network/unsubscribe/{token}/"
    assert client.get(url).status_code == 200
    assert Profile.objects.get(user=user).weekly_digest
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Profile.objects.get(user=user).weekly_digest
    assert client.post("/network/unsubscribe/forged-token/").status_code == 404


def test_a_mention_link_unsubscribes_from_mentions_only() -> None:
    user = factories.member()
    Client().post(f"/network/unsubscribe/{notifications.unsubscribe_token(user.pk, 'mention')}/")
    profile = Profile.objects.get(user=user)
    assert not profile.email_mentions and profile.weekly_digest


def test_the_digest_is_a_timed_job() -> None:
    from fingerpost.core import registry

    assert "network_weekly_digest" in [job.name for job in registry.timed_jobs()]
