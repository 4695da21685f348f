"""Who is calling, for keys and limits: the client's address behind the
trusted proxies (the same rule as allauth and axes, TRUSTED_PROXY_COUNT)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The caller's address: the one the last trusted proxy saw, else REMOTE_ADDR."""
    address = ""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-proxies] if len(hops) >= proxies else hops[0]
    address = address or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "unknown"
