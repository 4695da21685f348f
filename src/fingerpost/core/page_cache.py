"""Rendered public pages, kept in each process under a key made of
everything the page shows.

The view reads its data fresh on every request (the places left, the
waiting list) and builds the key from it; only the rendering, which costs
several times the query, is saved. A change to anything shown is a new key,
so a page can never be stale, nothing has to be invalidated, and no shared
cache (and no round trip to one) is needed: every process may keep its own.

Only pages that are the same for everyone are kept: the request is a GET or
HEAD with no session and no flash messages, and a page whose rendering used
the session, a CSRF token or a CSP nonce is sent but never kept.

A page with a form (`render_form_page`, the first page of booking) is kept
with a placeholder where its CSRF token goes, and each request gets its own
token put in, as `{% csrf_token %}` would have rendered it.
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

# About 10 KiB a page: a few megabytes at most per process.
MAX_PAGES = 500


class RenderedPages:
    """A small thread-safe LRU of rendered pages."""

    def __init__(self, size: int = MAX_PAGES) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return page

    def put(self, key: Hashable, page: bytes) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.hits = self.misses = 0


pages = RenderedPages()


def row_version(obj: Model, *extra: str) -> tuple[Any, ...]:
    """Every column of a row, and the named extra attributes (annotations):
    what a page about it can show."""
    values = tuple(getattr(obj, field.attname) for field in obj._meta.concrete_fields)
    return (type(obj).__name__, *values, *(getattr(obj, name) for name in extra))


def same_for_everyone(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _used_personal_state(request: HttpRequest) -> bool:
    # Reading an empty session (no cookie) is harmless; writing one is not.
    session = getattr(request, "session", None)
    return bool(
        (session is not None and session.modified)
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or getattr(request, "_csp_nonce", None)
    )


def render_page(
    request: HttpRequest, template: str, context: Mapping[str, Any], *, key: Hashable
) -> HttpResponse:
    """Like django.shortcuts.render, but a page that is the same for everyone
    is rendered once per `key` (with the template, address and language)."""
    if not same_for_everyone(request):
        response = HttpResponse(render_to_string(template, dict(context), request))
    else:
        full_key = (template, request.get_full_path(), get_language(), key)
        page = pages.get(full_key)
        if page is None:
            page = render_to_string(template, dict(context), request).encode()
            if not _used_personal_state(request):
                pages.put(full_key, page)
        response = HttpResponse(page)
    # The same header whether the page was kept or not: it differs for
    # someone signed in, so no shared HTTP cache may hand it to them.
    patch_vary_headers(response, ("Cookie",))
    return response


# Letters only, so escaping leaves it as it is; never a real token (those are
# 64 letters and digits).
CSRF_PLACEHOLDER = "fingerpostcsrftokenplaceholder"


def render_form_page(
    request: HttpRequest, template: str, context: Mapping[str, Any], *, key: Hashable
) -> HttpResponse:
    """Like render_page, for a page whose only personal part is its CSRF
    token: rendered once per `key` with a placeholder for the token, which
    is replaced by this request's own (and its cookie set) on every request.
    Only for a visitor with nothing of their own on the page: the caller
    knows (no answers given yet, nobody signed in)."""
    if not same_for_everyone(request):
        return render_page(request, template, context, key=key)
    full_key = ("form", template, request.get_full_path(), get_language(), key)
    page = pages.get(full_key)
    if page is None:
        page = render_to_string(
            template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request
        ).encode()
        if not _used_personal_state(request):
            pages.put(full_key, page)
    # get_token marks the CSRF cookie to be sent, as rendering the tag does.
    response = HttpResponse(page.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode()))
    patch_vary_headers(response, ("Cookie",))
    return response
