"""Who must use two-factor authentication before reaching anything else."""

from typing import Any

from django.conf import settings


def must_set_up_two_factor(user: Any) -> bool:
    """True for someone whose role sees personal data (see ROLES_THAT_SEE_RESIDENT_DATA)
    and who has no authenticator app yet, while FINGERPOST_REQUIRE_MFA is on.
    The web (middleware) and API tokens both ask this."""
    if not (settings.FINGERPOST_REQUIRE_MFA and user.sees_resident_data):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
