from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    """A place for conversation: a discipline, an initiative, or anything."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    discipline = models.ForeignKey(
        "network.Discipline", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    initiative = models.ForeignKey(
        "network.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(null=True, blank=True)
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_post_at", "-created_at"]
        indexes = [models.Index(fields=["-last_post_at", "-created_at"], name="topic_recent")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:topic", kwargs={"slug": self.slug})


class TopicFollow(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_topics"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="topic_follow_once")]

    def __str__(self) -> str:
        return str(f"{self.user_id} follows {self.topic_id}")


class Post(models.Model):
    """A post in a topic, or a reply to one (`parent`: replies are one level deep)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("post"))
    link = models.URLField(_("link"), blank=True, max_length=500)
    resource = models.ForeignKey(
        "network.Resource", on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)
    report_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["topic", "parent", "created_at"], name="post_in_topic"),
            models.Index(fields=["created_at"], name="post_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True) | ~models.Q(hidden_reason=""),
                name="post_hidden_says_why",
            )
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.topic_id}"

    def get_absolute_url(self) -> str:
        return reverse("network:topic", kwargs={"slug": self.topic.slug}) + f"#post-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Mention(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="mention_once")]

    def __str__(self) -> str:
        return str(f"{self.user_id} in post {self.post_id}")


class PostReport(models.Model):
    """A member tells the organisers a post should not be there."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("why it should not be there"))
    created_at = models.DateTimeField(auto_now_add=True)
    dealt_with_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reported_by"], name="report_once_per_person")
        ]

    def __str__(self) -> str:
        return str(f"Report on post {self.post_id}")
