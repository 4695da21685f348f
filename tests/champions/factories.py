"""Champions for tests: a profile with a current background check, so the
help desk can assign to them (`ready_champion`)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.champions.models import BackgroundCheck, ChampionProfile, CheckKind
from fingerpost.organisations.models import Area, PostcodeDistrict

from ..factories import OrganisationFactory, UserFactory


def ready_champion(user: User | None = None, *, areas: list[Area] = (), **profile: Any) -> User:  # type: ignore[assignment]
    """A champion who can be assigned: a profile and a check valid for a year."""
    if user is None:
        user = UserFactory(role=Role.CHAMPION)
    today = timezone.localdate()
    expires = profile.pop("check_expires_on", today + timedelta(days=365))
    defaults = {
        "organisation": profile.pop("organisation", None) or OrganisationFactory(kind="library"),
        "skills": ["communicating", "devices"],
        "ways": ["library", "phone"],
        "availability": ["mon_morning"],
        "max_active": 3,
        **profile,
    }
    made, _ = ChampionProfile.objects.update_or_create(user=user, defaults=defaults)
    if expires is not None:
        BackgroundCheck.objects.create(
            profile=made,
            kind=CheckKind.DBS_BASIC,
            checked_on=min(today, expires) - timedelta(days=400),
            expires_on=expires,
        )
        ChampionProfile.objects.filter(pk=made.pk).update(check_expires_on=expires)
    if areas:
        made.areas.set(areas)
    return user


def area(name: str, *districts: str) -> Area:
    found, _ = Area.objects.get_or_create(name=name, defaults={"slug": name.lower()})
    for code in districts:
        PostcodeDistrict.objects.get_or_create(code=code, defaults={"area": found})
    return found
