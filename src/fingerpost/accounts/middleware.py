from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class RequireMfaForResidentDataRoles:
    """Send people whose role sees residents' data to set up two-factor
    authentication before they can use anything else.

    On by default in production (FINGERPOST_REQUIRE_MFA).
    """

    allowed_prefixes = (
        "/accounts/",
        "/static/",
        "/healthz",
        "/accessibility",
        "/privacy",
        "/cookies",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.FINGERPOST_REQUIRE_MFA
            and user is not None
            and user.is_authenticated
            and user.sees_resident_data
            and not request.path.startswith(self.allowed_prefixes)
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
