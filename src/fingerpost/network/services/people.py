"""Who's who: members' profiles and what organisations offer."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from fingerpost.accounts.models import User
from fingerpost.core.errors import Invalid
from fingerpost.core.text import phone_number, visible_lines, visible_text
from fingerpost.organisations.models import Organisation

from .. import search_index
from ..models import Discipline, OrganisationProfile, Profile

PROFILE_FIELDS = (
    "job_title",
    "discipline",
    "skills",
    "interests",
    "ask_me_about",
    "phone",
    "listed",
    "show_email",
    "show_phone",
)
CHOICE_FIELDS = ("email_mentions", "email_replies", "email_followed", "weekly_digest")


def _free_handle(user: User) -> str:
    base = slugify(user.full_name or user.email.split("@")[0])[:50] or "member"
    taken = set(Profile.objects.filter(handle__startswith=base).values_list("handle", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def ensure_profile(*, user: User) -> Profile:
    """The person's profile, made (listed, nothing private shown) the first time."""
    existing = Profile.objects.filter(user=user).select_related("discipline").first()
    if existing is not None:
        return existing
    for _attempt in range(3):
        try:
            with transaction.atomic():
                profile = Profile.objects.create(user=user, handle=_free_handle(user))
                _index(profile)
                return profile
        except IntegrityError:
            # Someone took the handle (or made the profile) meanwhile.
            existing = Profile.objects.filter(user=user).first()
            if existing is not None:
                return existing
    raise Invalid("Your profile could not be made. Try again.")


def _index(profile: Profile) -> None:
    if not profile.listed or not profile.user.is_active:
        search_index.remove("person", profile.pk)
        return
    discipline = profile.discipline.name if profile.discipline else ""
    search_index.put(
        search_index.Entry(
            kind="person",
            key=profile.pk,
            title=profile.name,
            body=" ".join(
                [
                    profile.job_title,
                    discipline,
                    profile.skills,
                    profile.interests,
                    profile.ask_me_about,
                ]
            ),
            url=profile.get_absolute_url(),
        )
    )


def update_profile(*, profile: Profile, by: User, details: dict[str, Any]) -> Profile:
    """Change one's own profile (and email choices)."""
    if profile.user_id != by.pk:
        raise Invalid("You can only change your own profile.")
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        for name in PROFILE_FIELDS + CHOICE_FIELDS:
            if name not in details:
                continue
            value = details[name]
            if name == "discipline":
                if value is not None and not isinstance(value, Discipline):
                    raise Invalid("Choose a discipline from the list.", field="discipline")
            elif name == "phone":
                value = phone_number(value or "") if value else ""
                if details.get("show_phone") and not value:
                    raise Invalid("Enter a phone number to show it.", field="phone")
            elif name in ("skills", "interests", "ask_me_about"):
                value = visible_lines(value or "")
            elif isinstance(value, str):
                value = visible_text(value)
            setattr(profile, name, value)
        profile.save()
        _index(profile)
    return profile


def update_choices(*, profile: Profile, by: User | None, choices: dict[str, bool]) -> Profile:
    """Email choices; `by` None is the one-click unsubscribe link."""
    if by is not None and profile.user_id != by.pk:
        raise Invalid("You can only change your own choices.")
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        for name, value in choices.items():
            if name in CHOICE_FIELDS:
                setattr(profile, name, bool(value))
        profile.save(update_fields=[*CHOICE_FIELDS, "updated_at"])
    return profile


def update_organisation_profile(
    *, organisation: Organisation, by: User, details: dict[str, str]
) -> OrganisationProfile:
    with transaction.atomic():
        offer, _ = OrganisationProfile.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        offer.offers = visible_lines(details.get("offers", ""))
        offer.contact_name = visible_text(details.get("contact_name", ""))
        offer.contact_email = details.get("contact_email", "")
        offer.contact_phone = (
            phone_number(details["contact_phone"]) if details.get("contact_phone") else ""
        )
        offer.save()
    return offer
