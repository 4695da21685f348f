"""Absolute links, all built from one setting (FINGERPOST_SITE_URL), so an
email, a calendar file and a check-in code never point at different hosts."""

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    return str(settings.FINGERPOST_SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """The site's address followed by `path` (which starts with a slash)."""
    return site_url() + path


def on_site(url: str) -> str:
    """An absolute link moved onto the site's address (the path kept)."""
    bits = urlsplit(url)
    if not (bits.scheme and bits.netloc):
        return url
    # The link's path already holds any prefix the site is served under.
    path = bits.path + (f"?{bits.query}" if bits.query else "")
    site = urlsplit(site_url())
    return f"{site.scheme}://{site.netloc}{path}"
