from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import MEMBERSHIP_ROLE_FIELDS, Role, forget_roles
from fingerpost.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Verification,
)

PASSWORD = "correct-horse-battery"


PARTNERSHIP_SLUG = "test-partnership"


def partnership() -> Organisation:
    """The organisation that tests' events belong to and tests' organisers work for
    (unless a test says otherwise), so an organiser can run the events it creates."""
    organisation, _ = Organisation.objects.get_or_create(
        slug=PARTNERSHIP_SLUG,
        defaults={"name": "Test Partnership", "kind": OrganisationKind.OTHER},
    )
    return organisation


def grant_role(user: User, role: str, organisation: Organisation | None = None) -> Membership:
    """Give `user` a verified membership holding `role` (member: no extra role),
    at `organisation` (default: the test partnership for organisers, a new
    organisation otherwise); admin makes the account the operator."""
    if role == Role.ADMIN:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
        forget_roles(user)
        return Membership.objects.filter(user=user).first()  # type: ignore[return-value]
    if organisation is None:
        organisation = partnership() if role == Role.ORGANISER else OrganisationFactory()
    membership, _ = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        defaults={"verified_at": timezone.now(), "verification": Verification.APPROVAL},
    )
    if membership.verified_at is None:
        membership.verified_at = timezone.now()
        membership.verification = Verification.APPROVAL
    if role in MEMBERSHIP_ROLE_FIELDS:
        setattr(membership, MEMBERSHIP_ROLE_FIELDS[role], True)
    membership.save()
    forget_roles(user)
    return membership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def role(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        """`role=Role.X` (default member): a verified membership holding it, at
        `role__organisation` or a new organisation. `role=""`: an account with
        no verified membership, only a person with a login."""
        if not create or extracted == "":
            return
        organisation = kwargs.get("organisation")
        assert organisation is None or isinstance(organisation, Organisation)
        grant_role(obj, extracted if extracted is not None else Role.MEMBER, organisation)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = OrganisationKind.COUNCIL
    area = "Dorset"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, role="")
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "Officer"
    verified_at = factory.LazyFunction(timezone.now)
    verification = Verification.APPROVAL


class EventFactory(factory.django.DjangoModelFactory):
    """A published event, bookable now, starting in a week."""

    class Meta:
        model = "events.Event"

    title = factory.Sequence(lambda n: f"Networking event {n}")
    summary = "Meet people working on digital services across the county."
    description = "Talks, coffee and time to meet."
    kind = "networking"
    # Open to residents, so tests book without an account; staff-only events
    # (which need a verified member signed in) say so.
    audience = "public"
    status = "published"
    venue_name = "County Hall"
    venue_address = "Colliton Park, Dorchester"
    venue_accessibility = "Step-free access and a hearing loop."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 40
    organiser = factory.SubFactory(UserFactory, role=Role.ORGANISER)
    organisation = factory.LazyFunction(partnership)
    contact_email = "events@example.org"

    class Params:
        # Started a minute ago: check-in is open (it opens on the day).
        on_the_day = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))
        )


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking written directly (bypassing the rules); use services.book_places
    when the rules are what is being tested."""

    class Meta:
        model = "events.Booking"

    event = factory.SubFactory(EventFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"booker{n}@example.org")
    status = "confirmed"
    places = 1
    queue_position = factory.Sequence(lambda n: n + 1)
    confirmed_at = factory.LazyFunction(timezone.now)


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """A request written directly; use helpdesk.services when the rules matter."""

    class Meta:
        model = "helpdesk.HelpRequest"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, kind="library")
    name = factory.Faker("name", locale="en_GB")
    phone = factory.Sequence(lambda n: f"0770090{n:04d}")
    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    postcode_or_town = "DT1 1AA"
    area = "DT1"
    consent_to_share = True
    help_modes = factory.LazyFunction(lambda: ["library"])
    # Made assigned, the champion has taken it on (an offer goes through the services).
    assignment_accepted_at = factory.LazyAttribute(
        lambda o: timezone.now() if getattr(o, "assigned_to", None) else None
    )

    @factory.post_generation
    def with_needs(obj, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        from fingerpost.helpdesk.models import HelpRequestNeed, keep_need_bits

        if create:
            for need in extracted or ["email"]:
                HelpRequestNeed.objects.create(request=obj, need=need)
            keep_need_bits([obj.pk])
            obj.refresh_from_db(fields=["need_bits"])
