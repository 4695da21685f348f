from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.FINGERPOST_SERVICE_NAME,
        "partnership_name": settings.FINGERPOST_PARTNERSHIP_NAME,
        "contact_email": settings.FINGERPOST_CONTACT_EMAIL,
        "contact_phone": settings.FINGERPOST_CONTACT_PHONE,
        "navigation": navigation_for(request) if hasattr(request, "user") else [],
    }
