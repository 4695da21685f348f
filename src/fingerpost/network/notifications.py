"""The network's emails: mentions, replies and new posts in followed topics
(immediately, for those who chose them), reports to the organisers, and the
weekly digest (digest.py). Each is an outbox message built by the worker
when it sends, so a post hidden meanwhile, or a choice changed, is honoured;
each carries List-Unsubscribe headers (RFC 2369 and RFC 8058 one-click)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.core.mail import enqueue_email
from fingerpost.core.outbox import Rendered
from fingerpost.organisations.queries import people_with_role

from .models import Post, PostReport, Profile, TopicFollow

UNSUBSCRIBE_SALT = "fingerpost.network.unsubscribe"
RENDERER = "fingerpost.network.notifications.render_post_email"
# What each email kind unsubscribes from: its own choice.
CHOICE_FOR_KIND = {
    "mention": "email_mentions",
    "reply": "email_replies",
    "followed": "email_followed",
    "digest": "weekly_digest",
}


def site_url() -> str:
    return settings.FINGERPOST_SITE_URL.rstrip("/")


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in CHOICE_FOR_KIND:
        return None
    user_id = data.get("u")
    return (user_id, data["k"]) if isinstance(user_id, int) else None


def unsubscribe_url(user_id: int, kind: str) -> str:
    return site_url() + reverse(
        "network:unsubscribe", kwargs={"token": unsubscribe_token(user_id, kind)}
    )


def unsubscribe_headers(user_id: int, kind: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _enqueue(kind: str, post: Post, user: User) -> None:
    enqueue_email(
        subject="",
        body="",
        to=[user.email],
        kind=f"network.{kind}",
        once_key=f"network:{kind}:{post.pk}:{user.pk}",
        about=("post", str(post.pk)),
        renderer=RENDERER,
        render_args={"kind": kind, "post": post.pk, "user": user.pk},
    )


def post_written(*, post: Post, mentioned: list[User], edited: bool = False) -> None:
    """Record the emails a new (or edited) post causes; the choices are read at send time."""
    told: set[int] = {post.author_id} if post.author_id else set()
    for user in mentioned:
        if user.pk not in told:
            _enqueue("mention", post, user)
            told.add(user.pk)
    if edited:
        return
    if post.parent_id is not None:
        author = post.parent.author if post.parent else None
        if author is not None and author.pk not in told:
            _enqueue("reply", post, author)
            told.add(author.pk)
        return
    followers = (
        TopicFollow.objects.filter(topic_id=post.topic_id, user__is_active=True)
        .exclude(user_id__in=told)
        .filter(user__network_profile__email_followed=True)
        .select_related("user")
    )
    for follow in followers:
        _enqueue("followed", post, follow.user)


def render_post_email(*, kind: str, post: int, user: int) -> Rendered | None:
    found = Post.objects.select_related("topic", "author").filter(pk=post).first()
    profile = Profile.objects.select_related("user").filter(user_id=user).first()
    if found is None or found.is_hidden or profile is None or not profile.user.is_active:
        return None
    if not getattr(profile, CHOICE_FOR_KIND[kind]):
        return None
    author = found.author.full_name if found.author else "Someone"
    subject, opening = {
        "mention": (
            f"{author} mentioned you in {found.topic.title}",
            f"{author} mentioned you in the topic “{found.topic.title}”:",
        ),
        "reply": (
            f"{author} replied to your post in {found.topic.title}",
            f"{author} replied to your post in “{found.topic.title}”:",
        ),
        "followed": (
            f"New post in {found.topic.title}",
            f"{author} posted in “{found.topic.title}”, a topic you follow:",
        ),
    }[kind]
    body = (
        f"{opening}\n\n{found.body}\n\n"
        f"Read it and reply: {site_url()}{found.get_absolute_url()}\n\n"
        f"To stop these emails: {unsubscribe_url(user, kind)}\n"
        f"Change what the network emails you: {site_url()}{reverse('network:choices')}\n"
    )
    return Rendered(subject=subject, body=body, headers=unsubscribe_headers(user, kind))


def post_reported(*, report: PostReport) -> None:
    post = report.post
    link = site_url() + reverse("network:reports")
    for organiser in people_with_role(Role.ORGANISER):
        enqueue_email(
            subject="A post in the network has been reported",
            body=(
                "Someone reported a post in the network.\n\n"
                f"Their reason: {report.reason}\n\n"
                f"See the reported posts and hide this one if it should not be there: {link}\n"
            ),
            to=[organiser.email],
            kind="network.report",
            once_key=f"network:report:{report.pk}:{organiser.pk}",
            about=("post", str(post.pk)),
        )
