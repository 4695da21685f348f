"""Every read of the network, each in a fixed number of queries however
much there is (lists are paged by the views)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.organisations.models import Membership, Organisation

from . import search_index
from .models import (
    Board,
    BoardImport,
    BoardList,
    Card,
    CardEvent,
    Discipline,
    Initiative,
    InitiativeMember,
    Label,
    Post,
    PostReport,
    Profile,
    Resource,
    SearchDocument,
    Topic,
    TopicFollow,
)

# Ids from addresses and the API: anything beyond a database integer is
# simply not found (SQLite cannot even compare it).
LARGEST_ID = 2**63 - 1


def _fits(pk: int) -> bool:
    return 0 < pk <= LARGEST_ID


# ------------------------------------------------------------------ people


def disciplines() -> QuerySet[Discipline]:
    return Discipline.objects.all()


def verified_memberships() -> QuerySet[Membership]:
    return Membership.objects.filter(verified_at__isnull=False).select_related("organisation")


def people(
    *, text: str = "", discipline: str = "", organisation: str = "", skill: str = ""
) -> QuerySet[Profile]:
    """Who's who: listed profiles of active, verified members, by name."""
    verified = Membership.objects.filter(verified_at__isnull=False)
    found = Profile.objects.filter(
        listed=True, user__is_active=True, user__in=verified.values("user_id")
    )
    if discipline:
        found = found.filter(discipline__slug=discipline)
    if organisation:
        found = found.filter(
            user__in=verified.filter(organisation__slug=organisation).values("user_id")
        )
    if skill:
        found = found.filter(skills__icontains=skill)
    for word in text.split()[:8]:
        found = found.filter(
            Q(user__full_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(skills__icontains=word)
            | Q(interests__icontains=word)
            | Q(ask_me_about__icontains=word)
        )
    return (
        found.select_related("user", "discipline")
        .prefetch_related(
            Prefetch("user__memberships", queryset=verified_memberships(), to_attr="verified")
        )
        .order_by("user__full_name", "pk")
    )


def person(handle: str) -> Profile | None:
    return people().filter(handle=handle).first()


def profile_of(user: User) -> Profile | None:
    return Profile.objects.select_related("discipline").filter(user=user).first()


def organisations_in_network() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name").only("name", "slug")


def organisation_offer(organisation: Organisation) -> Any:
    from .models import OrganisationProfile

    return OrganisationProfile.objects.filter(organisation=organisation).first()


def mentionable(user_ids: list[int]) -> QuerySet[Profile]:
    return Profile.objects.filter(user_id__in=user_ids).select_related("user")


# ----------------------------------------------------------- conversations


def topics(*, discipline: str = "") -> QuerySet[Topic]:
    found = Topic.objects.select_related("discipline", "initiative")
    if discipline:
        found = found.filter(discipline__slug=discipline)
    return found.order_by(F("last_post_at").desc(nulls_last=True), "-created_at", "-pk")


def topic(slug: str) -> Topic | None:
    return Topic.objects.select_related("discipline", "initiative").filter(slug=slug).first()


def follows(topic: Topic, user: User) -> bool:
    return TopicFollow.objects.filter(topic=topic, user=user).exists()


def followed_topic_ids(user: User) -> set[int]:
    return set(TopicFollow.objects.filter(user=user).values_list("topic_id", flat=True))


def posts_in(topic: Topic, user: User) -> QuerySet[Post]:
    """The topic's posts, oldest first, each with its replies."""
    replies = Post.objects.select_related("author", "hidden_by", "resource").order_by(
        "created_at", "pk"
    )
    return (
        Post.objects.filter(topic=topic, parent__isnull=True)
        .select_related("author", "hidden_by", "resource")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .annotate(
            reported_by_me=Exists(PostReport.objects.filter(post=OuterRef("pk"), reported_by=user))
        )
        .order_by("created_at", "pk")
    )


def post_in(topic: Topic, pk: int) -> Post | None:
    if not _fits(pk):
        return None
    return (
        Post.objects.select_related("topic", "author", "parent").filter(topic=topic, pk=pk).first()
    )


def reported_posts() -> QuerySet[Post]:
    """For organisers: posts with reports not yet dealt with, most reported first."""
    open_reports = PostReport.objects.filter(dealt_with_at__isnull=True).select_related(
        "reported_by"
    )
    return (
        Post.objects.filter(reports__dealt_with_at__isnull=True)
        .annotate(open_reports=Count("reports", filter=Q(reports__dealt_with_at__isnull=True)))
        .select_related("topic", "author")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="pending"))
        .order_by("-open_reports", "-created_at")
    )


def post_for_moderation(pk: int) -> Post | None:
    if not _fits(pk):
        return None
    return Post.objects.select_related("topic", "author").filter(pk=pk).first()


# -------------------------------------------------------------- resources


def resources(
    *, text: str = "", discipline: str = "", tag: str = "", point: int | None = None
) -> QuerySet[Resource]:
    found = Resource.objects.select_related("discipline", "current_version", "shared_by")
    if discipline:
        found = found.filter(discipline__slug=discipline)
    if tag:
        found = found.filter(tags__icontains=tag)
    if point:
        found = (
            found.filter(standard_points__contains=[point])
            if _json_contains()
            else found.filter(standard_points__icontains=str(point))
        )
    for word in text.split()[:8]:
        found = found.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(tags__icontains=word)
        )
    return found.order_by("-updated_at", "-pk")


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def resource(slug: str) -> Resource | None:
    return (
        Resource.objects.select_related("discipline", "current_version", "shared_by")
        .prefetch_related("versions__uploaded_by")
        .filter(slug=slug)
        .first()
    )


def resource_choices() -> QuerySet[Resource]:
    return Resource.objects.order_by("title").only("title", "slug")


RESOURCES_OFFERED = 100


def recent_resource_choices() -> QuerySet[Resource]:
    """What a form's list of resources offers: the most recently shared or
    changed, by title (the whole library would make every page with such a
    form as large as the library)."""
    recent = Resource.objects.order_by("-updated_at", "-pk").values("pk")[:RESOURCES_OFFERED]
    return resource_choices().filter(pk__in=Subquery(recent))


# ------------------------------------------------------------ initiatives


def initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.annotate(
        member_count=Count("memberships", distinct=True), board_count=Count("boards", distinct=True)
    ).order_by("title", "pk")


def initiative(slug: str) -> Initiative | None:
    return (
        Initiative.objects.prefetch_related(
            Prefetch(
                "memberships",
                queryset=InitiativeMember.objects.select_related("user").order_by(
                    "-is_lead", "user__full_name"
                ),
            ),
            "boards",
        )
        .filter(slug=slug)
        .first()
    )


def is_member(initiative: Initiative, user: User) -> bool:
    return InitiativeMember.objects.filter(initiative=initiative, user=user).exists()


def board(pk: int) -> Board | None:
    if not _fits(pk):
        return None
    return Board.objects.select_related("initiative").filter(pk=pk).first()


@dataclass
class BoardView:
    board: Board
    lists: list[Any]
    archived_count: int


def board_view(board: Board) -> BoardView:
    """The board's open lists, each with its open cards in order (labels,
    people and checklist progress with them): four queries in all."""
    cards = (
        Card.objects.filter(archived=False)
        .annotate(
            items=Count("checklists__items", distinct=True),
            items_done=Count(
                "checklists__items", filter=Q(checklists__items__done=True), distinct=True
            ),
        )
        .prefetch_related("labels", "people")
        .order_by("position", "pk")
    )
    lists = list(
        board.lists.filter(archived=False)
        .prefetch_related(Prefetch("cards", queryset=cards, to_attr="open_cards"))
        .order_by("position", "pk")
    )
    archived = Card.objects.filter(board=board, archived=True).count()
    return BoardView(board=board, lists=lists, archived_count=archived)


def archived_cards(board: Board) -> QuerySet[Card]:
    return (
        Card.objects.filter(board=board, archived=True)
        .select_related("list")
        .order_by("-updated_at", "-pk")
    )


def open_lists(board: Board) -> QuerySet[BoardList]:
    return board.lists.filter(archived=False).order_by("position", "pk")


def card(pk: int) -> Card | None:
    if not _fits(pk):
        return None
    return (
        Card.objects.select_related("board__initiative", "list", "created_by")
        .prefetch_related(
            "labels",
            "people",
            "checklists__items",
            "attachments__resource",
            "comments__author",
        )
        .filter(pk=pk)
        .first()
    )


def card_position(card: Card) -> int:
    return (
        Card.objects.filter(list=card.list, archived=False, position__lt=card.position).count() + 1
    )


def board_labels(board: Board) -> QuerySet[Label]:
    return board.labels.all()


def initiative_people(initiative: Initiative) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        pk__in=InitiativeMember.objects.filter(initiative=initiative).values("user_id"),
    ).order_by("full_name")


def board_history(board: Board) -> QuerySet[CardEvent]:
    return (
        CardEvent.objects.filter(board=board).select_related("actor", "card").order_by("-at", "-pk")
    )


def card_history(card: Card) -> QuerySet[CardEvent]:
    return CardEvent.objects.filter(card=card).select_related("actor").order_by("-at", "-pk")[:50]  # type: ignore[return-value]


def board_export(board: Board) -> list[Card]:
    return list(
        Card.objects.filter(board=board)
        .select_related("list")
        .prefetch_related(
            "labels", "people", "checklists__items", "comments__author", "attachments"
        )
        .order_by("list__position", "list_id", "position", "pk")
    )


def board_import(initiative: Initiative, pk: int) -> BoardImport | None:
    if not _fits(pk):
        return None
    return BoardImport.objects.filter(initiative=initiative, pk=pk).select_related("board").first()


# ----------------------------------------------------------------- search

SEARCH_KINDS = {"person": "People", "post": "Posts", "resource": "Resources", "card": "Cards"}


def search(text: str, *, kind: str = "") -> QuerySet[SearchDocument]:
    """Documents matching `text`: ranked full-text search on PostgreSQL,
    every word in the title or body elsewhere (most recent first)."""
    documents = SearchDocument.objects.defer("vector")
    if kind:
        documents = documents.filter(kind=kind)
    text = " ".join(text.split())[:200]
    if not text:
        return documents.none()
    if search_index.uses_full_text():
        query = SearchQuery(text, search_type="websearch", config=search_index.SEARCH_CONFIG)
        return (
            documents.filter(vector=query)
            .annotate(rank=SearchRank(F("vector"), query))
            .order_by("-rank", "-updated_at", "-pk")
        )
    for word in text.split()[:8]:
        documents = documents.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return documents.order_by("-updated_at", "-pk")


def search_events(text: str, *, limit: int = 5) -> list[Any]:
    """Upcoming published events matching every word (events are few)."""
    from fingerpost.events.queries import upcoming_public_events

    words = " ".join(text.split())[:200].split()[:8]
    if not words:
        return []
    events = upcoming_public_events()
    for word in words:
        events = events.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return list(events[:limit])


# ----------------------------------------------------------------- digest


@dataclass
class DigestContent:
    posts: list[Post]
    resources: list[Resource]
    changes: list[CardEvent]
    events: list[Any]

    @property
    def is_empty(self) -> bool:
        return not (self.posts or self.resources or self.changes or self.events)


def digest_content(
    *, since: datetime, until: datetime, user: User, limit: int = 10
) -> DigestContent:
    from fingerpost.events.queries import upcoming_public_events

    mine = InitiativeMember.objects.filter(user=user).values("initiative_id")
    return DigestContent(
        posts=list(
            Post.objects.filter(
                created_at__gte=since,
                created_at__lt=until,
                hidden_at__isnull=True,
                parent__isnull=True,
            )
            .select_related("topic", "author")
            .order_by("-created_at")[:limit]
        ),
        resources=list(
            Resource.objects.filter(created_at__gte=since, created_at__lt=until).order_by(
                "-created_at"
            )[:limit]
        ),
        changes=list(
            CardEvent.objects.filter(at__gte=since, at__lt=until, board__initiative__in=mine)
            .select_related("board", "actor")
            .order_by("-at")[:limit]
        ),
        events=list(
            upcoming_public_events(now=until).filter(starts_at__lt=until + timedelta(days=14))[
                :limit
            ]
        ),
    )


def digest_recipients() -> QuerySet[Profile]:
    verified = Membership.objects.filter(verified_at__isnull=False)
    return (
        Profile.objects.filter(
            weekly_digest=True, user__is_active=True, user__in=verified.values("user_id")
        )
        .select_related("user")
        .order_by("pk")
    )


def recent_since(days: int = 7) -> datetime:
    return timezone.now() - timedelta(days=days)
