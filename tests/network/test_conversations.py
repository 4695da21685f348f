"""Topics, posts and replies: mentions and replies are emailed to those who
chose it, posts can be changed for a while and show that they were, and an
organiser hides a reported post with a reason."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.core.errors import Conflict, Invalid, NotAllowed
from fingerpost.network.models import Mention, Post, PostReport
from fingerpost.network.services import conversations, people

from . import factories

pytestmark = pytest.mark.django_db


def test_a_mention_is_emailed_with_unsubscribe_headers(django_capture_on_commit_callbacks) -> None:
    author = factories.member()
    jane = factories.member()
    handle = factories.profile_of(jane).handle
    topic = factories.topic(by=author)
    with django_capture_on_commit_callbacks(execute=True):
        post = conversations.create_post(topic=topic, by=author, body=f"Over to you, @{handle}.")
    assert Mention.objects.filter(post=post, user=jane).exists()
    [email] = [m for m in mail.outbox if jane.email in m.to]
    assert "mentioned you" in email.subject
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_reply_is_emailed_to_the_author_unless_they_chose_not(
    django_capture_on_commit_callbacks,
) -> None:
    author = factories.member()
    replier = factories.member()
    topic = factories.topic(by=author)
    post = factories.post(topic, by=author)
    with django_capture_on_commit_callbacks(execute=True):
        conversations.create_post(topic=topic, by=replier, body="Agreed", parent=post)
    assert [m.subject for m in mail.outbox if author.email in m.to] == [
        f"{replier.full_name} replied to your post in {topic.title}"
    ]
    mail.outbox.clear()
    people.update_choices(
        profile=factories.profile_of(author), by=author, choices={"email_replies": False}
    )
    with django_capture_on_commit_callbacks(execute=True):
        conversations.create_post(topic=topic, by=replier, body="Again", parent=post)
    assert not [m for m in mail.outbox if author.email in m.to]


def test_followers_hear_of_new_posts(django_capture_on_commit_callbacks) -> None:
    starter = factories.member()
    follower = factories.member()
    topic = factories.topic(by=starter)
    conversations.follow_topic(topic=topic, by=follower)
    with django_capture_on_commit_callbacks(execute=True):
        factories.post(topic, by=starter)
    assert [m.subject for m in mail.outbox if follower.email in m.to] == [
        f"New post in {topic.title}"
    ]


def test_replies_stay_one_level_deep() -> None:
    topic = factories.topic()
    post = factories.post(topic)
    reply = conversations.create_post(topic=topic, by=factories.member(), body="One", parent=post)
    deeper = conversations.create_post(topic=topic, by=factories.member(), body="Two", parent=reply)
    assert deeper.parent == post


def test_editing_is_for_the_author_within_the_time_limit(settings) -> None:
    author = factories.member()
    topic = factories.topic(by=author)
    post = factories.post(topic, by=author)
    with pytest.raises(NotAllowed):
        conversations.edit_post(post=post, by=factories.member(), body="Not mine")
    edited = conversations.edit_post(post=post, by=author, body="Better words")
    assert edited.edited_at is not None
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.FINGERPOST_NETWORK_EDIT_MINUTES + 1)
    )
    with pytest.raises(Conflict, match="first 30 minutes"):
        conversations.edit_post(post=Post.objects.get(pk=post.pk), by=author, body="Too late")


def test_the_edit_mark_shows(client: Client) -> None:
    author = factories.member()
    topic = factories.topic(by=author)
    post = factories.post(topic, by=author)
    conversations.edit_post(post=post, by=author, body="Changed")
    client.force_login(author)
    assert "Edited" in client.get(topic.get_absolute_url()).content.decode()


def test_an_empty_post_and_a_bad_link_are_refused() -> None:
    topic = factories.topic()
    with pytest.raises(Invalid, match="Enter your post"):
        conversations.create_post(topic=topic, by=factories.member(), body="   ")
    with pytest.raises(Invalid, match="https://"):
        conversations.create_post(
            topic=topic, by=factories.member(), body="See", link="javascript:alert(1)"
        )


def test_report_then_an_organiser_hides_with_a_reason(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    organiser = factories.member(role=Role.ORGANISER)
    author = factories.member()
    reporter = factories.member()
    topic = factories.topic(by=author)
    post = factories.post(topic, by=author, body="Something that should not be here")
    with django_capture_on_commit_callbacks(execute=True):
        conversations.report_post(post=post, by=reporter, reason="It is rude")
    assert [m.subject for m in mail.outbox if organiser.email in m.to] == [
        "A post in the network has been reported"
    ]
    with pytest.raises(Conflict, match="already reported"):
        conversations.report_post(post=post, by=reporter, reason="Again")
    with pytest.raises(NotAllowed):
        conversations.hide_post(post=post, by=reporter, reason="I don't like it")

    client.force_login(organiser)
    assert "It is rude" in client.get("/network/reported/").content.decode()
    response = client.post(f"/network/reported/{post.pk}/hide/", {"reason": ""})
    assert response.status_code == 400
    response = client.post(
        f"/network/reported/{post.pk}/hide/", {"reason": "Breaks the house rules"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_by == organiser
    assert PostReport.objects.get(post=post).dealt_with_at is not None

    client.force_login(reporter)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Hidden by an organiser: Breaks the house rules" in page
    assert "Something that should not be here" not in page


def test_the_post_form_offers_recent_resources_and_takes_any(client: Client) -> None:
    from fingerpost.network.queries import RESOURCES_OFFERED

    from . import bulk

    user = factories.member()
    topic = factories.topic(by=user)
    bulk.resources(RESOURCES_OFFERED + 5, user)
    client.force_login(user)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert page.count('value="bulk-guide-') == RESOURCES_OFFERED
    assert 'value="bulk-guide-0"' not in page  # the oldest is not listed...
    posted = client.post(
        topic.get_absolute_url(), {"body": "See the first guide", "resource": "bulk-guide-0"}
    )
    assert posted.status_code == 302  # ...but can still be given
    assert Post.objects.get(body="See the first guide").resource.slug == "bulk-guide-0"
