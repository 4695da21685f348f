"""The Open Referral UK (version 3) feed at /openreferral/: read-only JSON,
open to any website (CORS) so other directories can show our help locations."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from fingerpost.core import links

from . import openreferral as oruk
from . import taxonomy
from .models import HelpLocation
from .queries import distance_km, place_for

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
READ_METHODS = ("GET", "HEAD")

View = Callable[..., HttpResponse]


class BadQuery(Exception):
    """A query parameter the feed cannot use; answered with 400 and the reason."""


def _cors(response: HttpResponse) -> HttpResponse:
    # Anyone may read the feed from a browser; nothing here needs credentials.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _problem(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def feed_view(view: View) -> View:
    """GET (and HEAD) only, CORS headers on every answer, a preflight answered,
    and bad query parameters as a 400 that says what is wrong."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response: HttpResponse = HttpResponse(status=204)
        elif request.method not in READ_METHODS:
            response = _problem("The feed is read-only: use GET", 405)
            response["Allow"] = "GET, HEAD, OPTIONS"
        else:
            try:
                response = view(request, *args, **kwargs)
            except BadQuery as error:
                response = _problem(str(error), 400)
        return _cors(response)

    return wrapped


def _absolute(request: HttpRequest) -> oruk.Absolute:
    # The feed's links use the site's one address, whatever Host the caller sent.
    return links.absolute_url


def _positive_int(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadQuery(f"{name} must be a whole number") from None
    if value < 1:
        raise BadQuery(f"{name} must be 1 or more")
    return value


def _paging(request: HttpRequest) -> tuple[int, int]:
    page = _positive_int(request, "page", 1)
    per_page = min(_positive_int(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    if page > 1_000_000:
        raise BadQuery("page is too large")
    return page, per_page


def _page(contents: list[Any], *, total: int, page: int, per_page: int) -> JsonResponse:
    """The standard's paging wrapper around one page of records."""
    total_pages = math.ceil(total / per_page) if total else 0
    return JsonResponse(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _slice_across(sources: Sequence[Any], start: int, stop: int) -> tuple[int, list[Any]]:
    """Rows start..stop of several querysets read one after the other, without
    reading the rows of other pages; returns the total count too."""
    counts = [source.count() for source in sources]
    rows: list[Any] = []
    offset = 0
    for source, count in zip(sources, counts, strict=True):
        low, high = max(start - offset, 0), min(stop - offset, count)
        if low < high:
            rows.extend(source[low:high])
        offset += count
    return sum(counts), rows


def _filtered(request: HttpRequest) -> tuple[Any, Any]:
    locations, ebooks = oruk.feed_locations(), oruk.feed_ebook_services()
    text = " ".join(request.GET.get("search", "").split())[:200]
    if text:
        locations, ebooks = oruk.filter_by_text(locations, ebooks, text)
    term_id = request.GET.get("taxonomy_term_id", "").strip()
    if term_id:
        locations, ebooks = oruk.filter_by_term(locations, ebooks, taxonomy.term_by_id(term_id))
    taxonomy_id = request.GET.get("taxonomy_id", "").strip()
    if taxonomy_id and taxonomy_id != str(taxonomy.TAXONOMY_ID):
        locations, ebooks = locations.none(), ebooks.none()
    return locations, ebooks


@feed_view
def root(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        {"version": oruk.VERSION, "profile": oruk.PROFILE_URL, "openapi_url": oruk.OPENAPI_URL}
    )


@feed_view
def services(request: HttpRequest) -> HttpResponse:
    page, per_page = _paging(request)
    locations, ebooks = _filtered(request)
    start = (page - 1) * per_page
    total, rows = _slice_across([locations, ebooks], start, start + per_page)
    absolute = _absolute(request)
    contents = [
        oruk.location_service_summary(row, absolute)
        if isinstance(row, HelpLocation)
        else oruk.ebook_service_summary(row, absolute)
        for row in rows
    ]
    return _page(contents, total=total, page=page, per_page=per_page)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@feed_view
def service(request: HttpRequest, id: str) -> HttpResponse:
    wanted = _uuid(id)
    if wanted is None:
        return _problem("No service has that id", 404)
    absolute = _absolute(request)
    ebook = oruk.feed_ebook_services().filter(uuid=wanted).first()
    if ebook is not None:
        return JsonResponse(oruk.ebook_service_full(ebook, absolute))
    location = oruk.feed_locations().filter(service_uuid=wanted).first()
    if location is None:
        return _problem("No service has that id", 404)
    return JsonResponse(
        oruk.location_service_full(location, oruk.exceptions_for(location), absolute)
    )


def _near(request: HttpRequest, locations: Any) -> list[HelpLocation] | None:
    """With `postcode`, the locations serving its area (or, with `proximity` in
    metres, those within that distance of its middle), nearest first; None
    when no postcode was given."""
    postcode = " ".join(request.GET.get("postcode", "").split())
    proximity_text = request.GET.get("proximity", "").strip()
    if not postcode:
        if proximity_text:
            raise BadQuery("proximity needs a postcode to measure from")
        return None
    place = place_for(postcode)
    if place.area is None:
        raise BadQuery("That postcode is not in an area this directory covers")
    proximity = None
    if proximity_text:
        try:
            proximity = float(proximity_text)
        except ValueError:
            raise BadQuery("proximity must be a number of metres") from None
        if not math.isfinite(proximity) or proximity < 0:
            raise BadQuery("proximity must be a number of metres")
        if place.centre is None:
            raise BadQuery("The middle of that postcode's area is not known")
    measured: list[tuple[float, HelpLocation]] = []
    for location in locations:
        point = (location.latitude, location.longitude) if location.latitude is not None else None
        distance = distance_km(place.centre, point) * 1000 if place.centre and point else math.inf
        if proximity is not None:
            if distance <= proximity:
                measured.append((distance, location))
        elif location.area_id == place.area.pk:
            measured.append((distance, location))
    measured.sort(key=lambda pair: (pair[0], pair[1].name))
    return [location for _, location in measured]


@feed_view
def service_at_locations(request: HttpRequest) -> HttpResponse:
    page, per_page = _paging(request)
    locations, _ebooks = _filtered(request)
    start = (page - 1) * per_page
    near = _near(request, locations)
    if near is None:
        total, rows = _slice_across([locations], start, start + per_page)
    else:
        total, rows = len(near), near[start : start + per_page]
    absolute = _absolute(request)
    contents = [oruk.service_at_location_summary(row, absolute) for row in rows]
    return _page(contents, total=total, page=page, per_page=per_page)


@feed_view
def service_at_location(request: HttpRequest, id: str) -> HttpResponse:
    wanted = _uuid(id)
    location = (
        oruk.feed_locations().filter(service_at_location_uuid=wanted).first() if wanted else None
    )
    if location is None:
        return _problem("No service at a location has that id", 404)
    return JsonResponse(
        oruk.service_at_location_full(location, oruk.exceptions_for(location), _absolute(request))
    )


@feed_view
def taxonomies(request: HttpRequest) -> HttpResponse:
    page, per_page = _paging(request)
    everything = [oruk.taxonomy_record(_absolute(request))]
    start = (page - 1) * per_page
    return _page(everything[start : start + per_page], total=1, page=page, per_page=per_page)


@feed_view
def taxonomy_detail(request: HttpRequest, id: str) -> HttpResponse:
    if _uuid(id) != taxonomy.TAXONOMY_ID:
        return _problem("No taxonomy has that id", 404)
    return JsonResponse(oruk.taxonomy_record(_absolute(request)))


@feed_view
def taxonomy_terms(request: HttpRequest) -> HttpResponse:
    page, per_page = _paging(request)
    terms = taxonomy.terms()
    taxonomy_id = request.GET.get("taxonomy_id", "").strip()
    if taxonomy_id and taxonomy_id != str(taxonomy.TAXONOMY_ID):
        terms = []
    start = (page - 1) * per_page
    absolute = _absolute(request)
    contents = [oruk.term_record(term, absolute) for term in terms[start : start + per_page]]
    return _page(contents, total=len(terms), page=page, per_page=per_page)


@feed_view
def taxonomy_term(request: HttpRequest, id: str) -> HttpResponse:
    term = taxonomy.term_by_id(id)
    if term is None:
        return _problem("No taxonomy term has that id", 404)
    return JsonResponse(oruk.term_record(term, _absolute(request)))
