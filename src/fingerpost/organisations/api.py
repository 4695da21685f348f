from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from fingerpost.core.api_common import BoundedLimitOffsetPagination

from .models import Organisation, OrganisationKind
from .queries import organisation_list

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    name: str
    slug: str
    kind: str
    area: str
    website: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj: Organisation) -> str | None:
        return obj.parent.slug if obj.parent else None


@router.get("/", response=list[OrganisationOut])
@paginate(BoundedLimitOffsetPagination)
def list_organisations(request: HttpRequest, kind: OrganisationKind | None = None) -> object:
    return organisation_list(kind=kind)


@router.get("/{slug}", response=OrganisationOut)
def get_organisation(request: HttpRequest, slug: str) -> Organisation:
    return get_object_or_404(organisation_list(), slug=slug)
