"""The roles people have in the partnership (see BRIEF.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    CHAMPION = "champion", _("Digital champion")
    COORDINATOR = "coordinator", _("Coordinator")
    ORGANISER = "organiser", _("Organiser")
    ADMIN = "admin", _("Administrator")


# These roles can see residents' or attendees' personal data, so they must
# use two-factor authentication in production. (Organisers see attendee lists.)
ROLES_THAT_SEE_RESIDENT_DATA = frozenset(
    {Role.CHAMPION, Role.COORDINATOR, Role.ORGANISER, Role.ADMIN}
)
