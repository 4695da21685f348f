import pytest
from django.test import Client

from . import factories

pytestmark = pytest.mark.django_db


def test_every_page_answers_a_member(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    user = factories.member(job_title="Web developer", skills="accessibility testing")
    client = Client()
    client.force_login(user)
    topic = factories.topic(by=user)
    post = factories.post(topic, by=user)
    resource = factories.file_resource(by=user)
    initiative = factories.initiative(by=user)
    board = factories.board_of(initiative)
    card = factories.card(board, user)
    handle = factories.profile_of(user).handle
    for url in [
        "/network/",
        "/network/people/",
        f"/network/people/{handle}/",
        "/network/profile/",
        "/network/emails/",
        "/network/search/?q=accessibility",
        "/network/topics/",
        "/network/topics/new/",
        topic.get_absolute_url(),
        f"/network/topics/{topic.slug}/posts/{post.pk}/reply/",
        f"/network/topics/{topic.slug}/posts/{post.pk}/edit/",
        f"/network/topics/{topic.slug}/posts/{post.pk}/report/",
        "/network/resources/",
        "/network/resources/new/",
        resource.get_absolute_url(),
        f"/network/resources/{resource.slug}/edit/",
        f"/network/resources/{resource.slug}/new-version/",
        f"/network/resources/{resource.slug}/download/",
        "/network/initiatives/",
        "/network/initiatives/new/",
        initiative.get_absolute_url(),
        f"/network/initiatives/{initiative.slug}/boards/new/",
        f"/network/initiatives/{initiative.slug}/import/",
        board.get_absolute_url(),
        f"/network/boards/{board.pk}/cards/new/",
        f"/network/boards/{board.pk}/lists/new/",
        f"/network/boards/{board.pk}/archived/",
        f"/network/boards/{board.pk}/history/",
        f"/network/boards/{board.pk}/export.json",
        f"/network/boards/{board.pk}/export.csv",
        card.get_absolute_url(),
        f"/network/cards/{card.pk}/edit/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
