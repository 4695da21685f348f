from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Initiative(models.Model):
    """Shared work between partners, with its members and its boards."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="InitiativeMember", related_name="initiatives"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:initiative", kwargs={"slug": self.slug})


class InitiativeMember(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_lead = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="initiative_member_once")
        ]

    def __str__(self) -> str:
        return str(f"{self.user_id} in {self.initiative_id}")


class Board(models.Model):
    """An initiative's board of lists and cards."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="boards")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The board's id in the tool it came from: the same board is imported once.
    trello_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:board", kwargs={"pk": self.pk})


class BoardList(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="lists")
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField()
    archived = models.BooleanField(default=False)
    trello_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Label(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(_("name"), max_length=100, blank=True)
    colour = models.CharField(_("colour"), max_length=20, blank=True)
    trello_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name or self.colour

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour nearest to the label's colour."""
        return TAG_COLOURS.get(self.colour, "grey")


TAG_COLOURS = {
    "green": "green",
    "lime": "green",
    "yellow": "yellow",
    "orange": "orange",
    "red": "red",
    "purple": "purple",
    "blue": "blue",
    "sky": "light-blue",
    "pink": "pink",
    "black": "grey",
}


class Card(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="cards")
    list = models.ForeignKey(BoardList, on_delete=models.CASCADE, related_name="cards")
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField()
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    due_done = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    labels = models.ManyToManyField(Label, blank=True, related_name="cards")
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    trello_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["list", "archived", "position"], name="card_in_list")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:card", kwargs={"pk": self.pk})


class Checklist(models.Model):
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="checklists")
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(self.name)


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(max_length=1000)
    done = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(self.text)


class CardComment(models.Model):
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The name as written where it came from, for imported comments by
    # people who are not members here.
    author_name = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return str(f"Comment on card {self.card_id}")


class CardAttachment(models.Model):
    """A link on a card: to a resource in the library, or elsewhere."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="attachments")
    resource = models.ForeignKey(
        "network.Resource", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=1000, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.title)


class CardEvent(models.Model):
    """Who did what on a board, and when: the board's history."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="events")
    card = models.ForeignKey(
        Card, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who did it when they are not a member here (a Trello member's full
    # name, from an imported board's activity history).
    actor_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=500, blank=True)
    # Now, except for imported history, which keeps when it happened.
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["board", "-at"], name="board_history")]

    def __str__(self) -> str:
        return str(self.detail or self.action)

    @property
    def who(self) -> str:
        return (self.actor.full_name if self.actor else "") or self.actor_name or "Someone"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    IMPORTED = "imported", _("Imported")


class BoardImport(models.Model):
    """An uploaded board export: kept between the preview and the import."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=200)
    data = models.JSONField()
    sha256 = models.CharField(max_length=64)
    counts = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    board = models.ForeignKey(
        Board, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.filename)
