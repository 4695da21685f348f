"""The network's API (token or signed-in session; verified members only):
people, topics and posts, resources, boards and cards (read and write), and
board import. The same queries and services as the pages."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from fingerpost.core.api_auth import token_or_session_auth
from fingerpost.core.api_common import BoundedLimitOffsetPagination, ErrorOut, IsoDateTime, api_user
from fingerpost.core.errors import Invalid, NotFound

from . import queries
from .models import (
    Board,
    BoardImport,
    BoardList,
    Card,
    Discipline,
    Post,
    Profile,
    Resource,
    ResourceVersion,
    Topic,
)
from .resource_views import file_response
from .services import boards as board_services
from .services import conversations, trello
from .services import resources as resource_services

router = Router(tags=["network"], auth=token_or_session_auth)
VIEW = "network.view"
REFUSAL = "Only verified members of the partnership can use the network"
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _member(request: HttpRequest):  # type: ignore[no-untyped-def]
    return api_user(request, VIEW, refusal=REFUSAL)


class PersonOut(Schema):
    handle: str
    name: str
    job_title: str
    discipline: str | None
    organisations: list[str]
    skills: list[str]
    interests: str
    ask_me_about: str
    email: str | None

    @staticmethod
    def resolve_discipline(obj: Profile) -> str | None:
        return obj.discipline.name if obj.discipline else None

    @staticmethod
    def resolve_organisations(obj: Profile) -> list[str]:
        return [m.organisation.name for m in getattr(obj.user, "verified", [])]

    @staticmethod
    def resolve_skills(obj: Profile) -> list[str]:
        return obj.skill_list

    @staticmethod
    def resolve_email(obj: Profile) -> str | None:
        return obj.user.email if obj.show_email else None


@router.get("/people", response={200: list[PersonOut], **ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_people(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    discipline: str = Query("", max_length=100),
    organisation: str = Query("", max_length=200),
) -> object:
    """Who's who: find people by name, skill, discipline or organisation."""
    _member(request)
    return queries.people(text=q, discipline=discipline, organisation=organisation)


@router.get("/people/{handle}", response={200: PersonOut, **ERRORS})
def get_person(request: HttpRequest, handle: str) -> Profile:
    _member(request)
    found = queries.person(handle)
    if found is None:
        raise NotFound("Nobody in who's who has that name for mentions")
    return found


class TopicOut(Schema):
    slug: str
    title: str
    description: str
    discipline: str | None
    post_count: int
    last_post_at: datetime | None

    @staticmethod
    def resolve_discipline(obj: Topic) -> str | None:
        return obj.discipline.name if obj.discipline else None


class TopicIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=2000)


@router.get("/topics", response={200: list[TopicOut], **ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_topics(request: HttpRequest, discipline: str = Query("", max_length=100)) -> object:
    _member(request)
    return queries.topics(discipline=discipline)


@router.post("/topics", response={201: TopicOut, **ERRORS})
def create_topic(request: HttpRequest, payload: TopicIn) -> Status[Topic]:
    user = _member(request)
    return Status(
        201,
        conversations.create_topic(by=user, title=payload.title, description=payload.description),
    )


class PostOut(Schema):
    id: int
    parent: int | None
    author: str | None
    body: str | None
    link: str
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    hidden_reason: str

    @staticmethod
    def resolve_parent(obj: Post) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_author(obj: Post) -> str | None:
        return obj.author.full_name if obj.author else None

    @staticmethod
    def resolve_body(obj: Post) -> str | None:
        return None if obj.is_hidden else obj.body

    @staticmethod
    def resolve_hidden(obj: Post) -> bool:
        return obj.is_hidden


class PostIn(Schema):
    body: str = Field(..., max_length=10_000)
    link: str = Field("", max_length=500)
    parent: int | None = None


def _topic(slug: str) -> Topic:
    found = queries.topic(slug)
    if found is None:
        raise NotFound("There is no topic with that name")
    return found


@router.get("/topics/{slug}/posts", response={200: list[PostOut], **ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_posts(request: HttpRequest, slug: str) -> object:
    """The topic's posts, oldest first, with replies after the post they answer."""
    _member(request)
    found = _topic(slug)
    return Post.objects.filter(topic=found).select_related("author").order_by("created_at", "pk")


@router.post("/topics/{slug}/posts", response={201: PostOut, **ERRORS})
def create_post(request: HttpRequest, slug: str, payload: PostIn) -> Status[Post]:
    user = _member(request)
    found = _topic(slug)
    parent = None
    if payload.parent is not None:
        parent = queries.post_in(found, payload.parent)
        if parent is None:
            raise Invalid("There is no such post in this topic to reply to", field="parent")
    post = conversations.create_post(
        topic=found, by=user, body=payload.body, link=payload.link, parent=parent
    )
    return Status(201, post)


class ResourceOut(Schema):
    slug: str
    title: str
    summary: str
    kind: str
    url: str
    tags: list[str]
    discipline: str | None
    standard_points: list[int]
    file: str | None
    version: int | None
    download: str | None

    @staticmethod
    def resolve_tags(obj: Resource) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_discipline(obj: Resource) -> str | None:
        return obj.discipline.name if obj.discipline else None

    @staticmethod
    def resolve_file(obj: Resource) -> str | None:
        return obj.current_version.filename if obj.current_version else None

    @staticmethod
    def resolve_version(obj: Resource) -> int | None:
        return obj.current_version.number if obj.current_version else None

    @staticmethod
    def resolve_download(obj: Resource) -> str | None:
        from django.urls import reverse

        return (
            reverse("network:download", kwargs={"slug": obj.slug}) if obj.current_version else None
        )


class LinkIn(Schema):
    title: str = Field(..., max_length=200)
    url: str = Field(..., max_length=500)
    summary: str = Field("", max_length=5000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    standard_points: list[int] = Field(default_factory=list, max_length=14)


@router.get("/resources", response={200: list[ResourceOut], **ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_resources(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    discipline: str = Query("", max_length=100),
    tag: str = Query("", max_length=50),
) -> object:
    _member(request)
    return queries.resources(text=q, discipline=discipline, tag=tag)


@router.get("/resources/{slug}", response={200: ResourceOut, **ERRORS})
def get_resource(request: HttpRequest, slug: str) -> Resource:
    _member(request)
    return _resource(slug)


@router.post("/resources", response={201: ResourceOut, **ERRORS})
def share_link(request: HttpRequest, payload: LinkIn) -> Status[Resource]:
    """Share a link (a file is sent to `/resource-files`)."""
    user = _member(request)
    resource = resource_services.share_resource(by=user, details=payload.dict())
    return Status(201, resource)


class FileIn(Schema):
    title: str = Field(..., max_length=200)
    summary: str = Field("", max_length=5000)
    tags: str = Field("", max_length=500, description="Comma-separated")
    discipline: str = Field("", max_length=100, description="The discipline's short name")
    standard_points: list[int] = Field(default_factory=list, max_length=14)


def _discipline(slug: str) -> Discipline | None:
    if not slug:
        return None
    found = Discipline.objects.filter(slug=slug).first()
    if found is None:
        raise Invalid("Choose a discipline from the list", field="discipline")
    return found


@router.post("/resource-files", response={201: ResourceOut, **ERRORS})
def share_file(
    request: HttpRequest, details: Form[FileIn], file: File[UploadedFile]
) -> Status[Resource]:
    """Upload a file to the library (multipart form: the fields and `file`),
    with the same type and size limits as the library's page: a file of the
    wrong type or too large is refused with 422 and nothing is kept."""
    user = _member(request)
    resource = resource_services.share_resource(
        by=user,
        details={**details.dict(), "discipline": _discipline(details.discipline)},
        upload=file,
    )
    return Status(201, resource)


class VersionOut(Schema):
    number: int
    filename: str
    content_type: str
    size: int
    uploaded_at: datetime


def _resource(slug: str) -> Resource:
    found = queries.resource(slug)
    if found is None:
        raise NotFound("There is no resource with that name")
    return found


@router.post("/resources/{slug}/versions", response={201: VersionOut, **ERRORS})
def replace_file(
    request: HttpRequest, slug: str, file: File[UploadedFile]
) -> Status[ResourceVersion]:
    """A new version of the file (by whoever shared it, or an organiser);
    earlier versions stay downloadable."""
    user = _member(request)
    version = resource_services.replace_file(resource=_resource(slug), by=user, upload=file)
    return Status(201, version)


@router.get("/resources/{slug}/versions", response={200: list[VersionOut], **ERRORS})
def list_versions(request: HttpRequest, slug: str) -> object:
    _member(request)
    return list(_resource(slug).versions.all())


def _download(request: HttpRequest, slug: str, number: int | None) -> HttpResponseBase:
    _member(request)
    found = _resource(slug)
    if not found.versions.filter(
        **({"number": number} if number is not None else {"pk": found.current_version_id})
    ).exists():
        raise NotFound("That resource has no such file")
    return file_response(found, number)


@router.get("/resources/{slug}/download", response={200: None, **ERRORS})
def download(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The current file, streamed (members only; never a public address)."""
    return _download(request, slug, None)


@router.get("/resources/{slug}/versions/{number}/download", response={200: None, **ERRORS})
def download_version(request: HttpRequest, slug: str, number: int) -> HttpResponseBase:
    return _download(request, slug, number)


class CardOut(Schema):
    id: int
    title: str
    description: str
    list_id: int
    position: int
    due_at: datetime | None
    archived: bool
    labels: list[str]
    people: list[str]

    @staticmethod
    def resolve_labels(obj: Card) -> list[str]:
        return [label.name or label.colour for label in obj.labels.all()]

    @staticmethod
    def resolve_people(obj: Card) -> list[str]:
        return [user.full_name for user in obj.people.all()]


class ListOut(Schema):
    id: int
    name: str
    cards: list[CardOut]

    @staticmethod
    def resolve_cards(obj: BoardList) -> list[Card]:
        return list(getattr(obj, "open_cards", []))


class BoardOut(Schema):
    id: int
    title: str
    initiative: str
    lists: list[ListOut]


class BoardSummaryOut(Schema):
    id: int
    title: str
    initiative: str

    @staticmethod
    def resolve_initiative(obj: Board) -> str:
        return obj.initiative.slug


class CardIn(Schema):
    list_id: int
    title: str = Field(..., max_length=500)
    description: str = Field("", max_length=10_000)
    due_at: IsoDateTime | None = None


class MoveIn(Schema):
    list_id: int
    position: int | None = Field(None, ge=1, le=100_000)


def _board(pk: int) -> Board:
    found = queries.board(pk)
    if found is None:
        raise NotFound("There is no board with that number")
    return found


def _list_of(board: Board, pk: int) -> BoardList:
    found = (
        queries.open_lists(board).filter(pk=pk).first() if 0 < pk <= queries.LARGEST_ID else None
    )
    if found is None:
        raise Invalid("Choose a list on this board", field="list_id")
    return found


def _card(pk: int) -> Card:
    found = queries.card(pk)
    if found is None:
        raise NotFound("There is no card with that number")
    return found


@router.get("/boards", response={200: list[BoardSummaryOut], **ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_boards(request: HttpRequest) -> object:
    _member(request)
    return Board.objects.select_related("initiative").order_by("pk")


@router.get("/boards/{pk}", response={200: BoardOut, **ERRORS})
def get_board(request: HttpRequest, pk: int) -> dict[str, object]:
    """The board's open lists with their open cards, in order."""
    _member(request)
    view = queries.board_view(_board(pk))
    return {
        "id": view.board.pk,
        "title": view.board.title,
        "initiative": view.board.initiative.slug,
        "lists": view.lists,
    }


@router.post("/boards/{pk}/cards", response={201: CardOut, **ERRORS})
def add_card(request: HttpRequest, pk: int, payload: CardIn) -> Status[Card]:
    user = _member(request)
    found = _board(pk)
    card = board_services.add_card(
        board=found,
        by=user,
        board_list=_list_of(found, payload.list_id),
        title=payload.title,
        description=payload.description,
        due_at=payload.due_at,
    )
    return Status(201, card)


@router.get("/cards/{pk}", response={200: CardOut, **ERRORS})
def get_card(request: HttpRequest, pk: int) -> Card:
    _member(request)
    return _card(pk)


@router.post("/cards/{pk}/move", response={200: CardOut, **ERRORS})
def move_card(request: HttpRequest, pk: int, payload: MoveIn) -> Card:
    user = _member(request)
    card = _card(pk)
    moved = board_services.move_card(
        card=card, by=user, to_list=_list_of(card.board, payload.list_id), position=payload.position
    )
    return _card(moved.pk)


class ImportOut(Schema):
    board: int
    title: str
    counts: dict[str, int]
    not_brought_in: list[str]


@router.post("/initiatives/{slug}/import", response={201: ImportOut, **ERRORS})
def import_board(
    request: HttpRequest, slug: str, file: File[UploadedFile]
) -> Status[dict[str, object]]:
    """Bring in a board exported from Trello as JSON (all or nothing)."""
    user = _member(request)
    found = queries.initiative(slug)
    if found is None:
        raise NotFound("There is no initiative with that name")
    pending: BoardImport = trello.preview_import(initiative=found, by=user, upload=file)
    board = trello.import_board(board_import=pending, by=user)
    return Status(
        201,
        {
            "board": board.pk,
            "title": board.title,
            "counts": pending.counts,
            "not_brought_in": pending.report,
        },
    )
