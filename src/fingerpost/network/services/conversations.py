"""Topics, posts and replies: mentions, following, editing for a while,
reporting to the organisers and hiding by an organiser."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.core import audit
from fingerpost.core.errors import Conflict, Invalid, NotAllowed
from fingerpost.core.models import AuditAction
from fingerpost.core.text import visible_lines, visible_text

from .. import notifications, search_index
from ..models import (
    Discipline,
    Initiative,
    Mention,
    Post,
    PostReport,
    Profile,
    Resource,
    Topic,
    TopicFollow,
)
from .common import clean_link, unique_slug

MAX_POST_LENGTH = 10_000
# "@jane-smith" anywhere but inside a word or an email address.
MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9-]{0,59})", re.IGNORECASE)


def create_topic(
    *,
    by: User,
    title: str,
    description: str = "",
    discipline: Discipline | None = None,
    initiative: Initiative | None = None,
) -> Topic:
    title = visible_text(title)
    if not title:
        raise Invalid("Enter a title for the topic.", field="title")
    with transaction.atomic():
        topic = Topic.objects.create(
            title=title[:200],
            slug=unique_slug(Topic, title),
            description=visible_lines(description),
            discipline=discipline,
            initiative=initiative,
            created_by=by,
        )
        TopicFollow.objects.get_or_create(topic=topic, user=by)
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            subject_type="topic",
            reference=str(topic.pk),
            detail="Topic started",
        )
    return topic


def follow_topic(*, topic: Topic, by: User) -> None:
    TopicFollow.objects.get_or_create(topic=topic, user=by)


def unfollow_topic(*, topic: Topic, by: User) -> None:
    TopicFollow.objects.filter(topic=topic, user=by).delete()


def _clean_body(body: str) -> str:
    body = visible_lines(body)
    if not body:
        raise Invalid("Enter your post.", field="body")
    if len(body) > MAX_POST_LENGTH:
        raise Invalid(f"Your post must be {MAX_POST_LENGTH:,} characters or fewer.", field="body")
    return body


def mentioned_people(body: str) -> list[User]:
    handles = {m.lower() for m in MENTION.findall(body)}
    if not handles:
        return []
    return [
        p.user
        for p in Profile.objects.filter(handle__in=handles, user__is_active=True).select_related(
            "user"
        )
    ]


def _index(post: Post) -> None:
    if post.is_hidden:
        search_index.remove("post", post.pk)
        return
    search_index.put(
        search_index.Entry(
            kind="post",
            key=post.pk,
            title=post.topic.title,
            body=post.body,
            url=post.get_absolute_url(),
            updated_at=post.edited_at or post.created_at,
        )
    )


def create_post(
    *,
    topic: Topic,
    by: User,
    body: str,
    parent: Post | None = None,
    link: str = "",
    resource: Resource | None = None,
) -> Post:
    """A new post (or a reply to `parent`). People mentioned, the author
    replied to, and followers of the topic are told by email if they chose to."""
    body = _clean_body(body)
    link = clean_link(link, field="link")
    if parent is not None:
        if parent.topic_id != topic.pk:
            raise Invalid("You can only reply to a post in this topic.")
        if parent.parent_id is not None:
            parent = parent.parent  # replies stay one level deep
        if parent is not None and parent.is_hidden:
            raise Conflict("This post has been hidden, so it cannot be replied to.")
    with transaction.atomic():
        now = timezone.now()
        post = Post.objects.create(
            topic=topic, parent=parent, author=by, body=body, link=link, resource=resource
        )
        Topic.objects.filter(pk=topic.pk).update(last_post_at=now, post_count=F("post_count") + 1)
        mentioned = [u for u in mentioned_people(body) if u.pk != by.pk]
        Mention.objects.bulk_create(
            [Mention(post=post, user=u) for u in mentioned], ignore_conflicts=True
        )
        _index(post)
        notifications.post_written(post=post, mentioned=mentioned)
    return post


def edit_post(*, post: Post, by: User, body: str, link: str = "") -> Post:
    body = _clean_body(body)
    link = clean_link(link, field="link")
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        if post.author_id != by.pk:
            raise NotAllowed("You can only change your own posts.")
        limit = timedelta(minutes=settings.FINGERPOST_NETWORK_EDIT_MINUTES)
        if timezone.now() - post.created_at > limit:
            minutes = settings.FINGERPOST_NETWORK_EDIT_MINUTES
            raise Conflict(f"Posts can only be changed in the first {minutes} minutes.")
        if post.is_hidden:
            raise Conflict("This post has been hidden, so it cannot be changed.")
        already = {m.user_id for m in post.mentions.all()}
        post.body = body
        post.link = link
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "link", "edited_at"])
        newly = [u for u in mentioned_people(body) if u.pk != by.pk and u.pk not in already]
        Mention.objects.bulk_create(
            [Mention(post=post, user=u) for u in newly], ignore_conflicts=True
        )
        _index(post)
        notifications.post_written(post=post, mentioned=newly, edited=True)
    return post


def can_still_edit(post: Post, user: User) -> bool:
    limit = timedelta(minutes=settings.FINGERPOST_NETWORK_EDIT_MINUTES)
    return (
        post.author_id == user.pk
        and not post.is_hidden
        and timezone.now() - post.created_at <= limit
    )


def report_post(*, post: Post, by: User, reason: str) -> PostReport:
    reason = visible_lines(reason)
    if not reason:
        raise Invalid("Say why the post should not be there.", field="reason")
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if PostReport.objects.filter(post=post, reported_by=by).exists():
            raise Conflict("You have already reported this post. The organisers will look at it.")
        report = PostReport.objects.create(post=post, reported_by=by, reason=reason[:2000])
        Post.objects.filter(pk=post.pk).update(report_count=F("report_count") + 1)
        audit.record(
            actor=by,
            action=AuditAction.CHANGE,
            subject_type="post",
            reference=str(post.pk),
            detail="Reported",
        )
        notifications.post_reported(report=report)
    return report


def hide_post(*, post: Post, by: User, reason: str) -> Post:
    reason = visible_text(reason)
    if not by.has_perm("network.moderate"):
        raise NotAllowed("Only organisers can hide posts.")
    if not reason:
        raise Invalid("Give the reason for hiding the post.", field="reason")
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        if post.is_hidden:
            raise Conflict("This post is already hidden.")
        post.hidden_at = timezone.now()
        post.hidden_by = by
        post.hidden_reason = reason[:500]
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        PostReport.objects.filter(post=post, dealt_with_at__isnull=True).update(
            dealt_with_at=post.hidden_at
        )
        _index(post)
        audit.record(
            actor=by,
            action=AuditAction.CHANGE,
            subject_type="post",
            reference=str(post.pk),
            detail=f"Hidden: {reason}",
        )
    return post


def show_post(*, post: Post, by: User) -> Post:
    """An organiser puts a hidden post back (or dismisses its reports)."""
    if not by.has_perm("network.moderate"):
        raise NotAllowed("Only organisers can do this.")
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        post.hidden_at = None
        post.hidden_by = None
        post.hidden_reason = ""
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        PostReport.objects.filter(post=post, dealt_with_at__isnull=True).update(
            dealt_with_at=timezone.now()
        )
        _index(post)
        audit.record(
            actor=by,
            action=AuditAction.CHANGE,
            subject_type="post",
            reference=str(post.pk),
            detail="Shown again",
        )
    return post
