from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import must_set_up_two_factor


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
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and must_set_up_two_factor(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
