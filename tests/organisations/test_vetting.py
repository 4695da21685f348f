"""Vetted membership (finding 1): a new account is no one until an allow-listed
email domain or a coordinator or administrator says it works for a partner."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role, forget_roles
from fingerpost.core.models import AuditEntry
from fingerpost.helpdesk.models import HelpRequest, ReferralSource
from fingerpost.organisations import services
from fingerpost.organisations.models import EmailDomain, Membership, Verification

from ..factories import OrganisationFactory, UserFactory, grant_role

PASSWORD = "a-long-enough-password-7"


def sign_up(client: Client, email: str) -> User:
    response = client.post(
        reverse("account_signup"),
        {"full_name": "Sam Newcomer", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302, response.content
    return User.objects.get(email=email)


def confirm(client: Client) -> None:
    key = next(
        line for m in mail.outbox for line in m.body.split() if "/accounts/confirm-email/" in line
    )
    client.post(key)


@pytest.mark.django_db(transaction=True)
def test_an_address_on_an_allow_list_joins_that_organisation_verified(client: Client) -> None:
    council = OrganisationFactory(name="Dorset Council")
    EmailDomain.objects.create(organisation=council, domain="DorsetCouncil.gov.uk")
    user = sign_up(client, "sam@dorsetcouncil.gov.uk")
    assert not user.has_perm("helpdesk.refer")
    confirm(client)
    membership = Membership.objects.get(user=user)
    assert membership.organisation == council
    assert membership.verification == Verification.EMAIL_DOMAIN
    forget_roles(user)
    assert user.has_perm("helpdesk.refer")


@pytest.mark.django_db(transaction=True)
def test_a_new_account_elsewhere_is_not_a_member(client: Client) -> None:
    user = sign_up(client, "sam@gmail.example")
    confirm(client)
    assert EmailAddress.objects.get(user=user).verified
    assert not Membership.objects.filter(user=user).exists()
    client.force_login(user)
    assert client.get(reverse("helpdesk:refer")).status_code == 403
    assert client.get(reverse("organisations:people")).status_code == 403
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert "Join your organisation" in dashboard


@pytest.mark.django_db(transaction=True)
def test_asking_to_join_tells_the_approvers_and_the_person(client: Client) -> None:
    library = OrganisationFactory(name="County Libraries", kind="library")
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    admin = UserFactory(role=Role.ADMIN)
    elsewhere = UserFactory(role=Role.COORDINATOR)
    newcomer = UserFactory(role="")
    client.force_login(newcomer)
    response = client.post(
        reverse("organisations:join"), {"organisation": library.pk, "job_title": "Librarian"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert membership.verified_at is None and membership.job_title == "Librarian"
    to = {address for m in mail.outbox for address in m.to}
    assert {coordinator.email, admin.email, newcomer.email} <= to
    assert elsewhere.email not in to
    told = next(m for m in mail.outbox if m.to == [newcomer.email])
    assert "What happens next" in told.body
    page = client.get(reverse("organisations:join")).content.decode()
    assert "Waiting for approval" in page
    # Still nothing but their own account.
    forget_roles(newcomer)
    assert not newcomer.has_perm("helpdesk.refer")


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_approves_someone_at_their_organisation() -> None:
    library = OrganisationFactory(name="County Libraries")
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    newcomer = UserFactory(role="")
    membership = services.request_membership(user=newcomer, organisation=library, by=newcomer)
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("organisations:approvals")).content.decode()
    assert newcomer.email in page
    mail.outbox.clear()
    response = client.post(
        reverse("organisations:decide", args=[membership.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.verified_by == coordinator
    assert membership.verification == Verification.APPROVAL
    assert mail.outbox[0].to == [newcomer.email]
    assert AuditEntry.objects.filter(subject_type="membership", actor=coordinator).exists()
    forget_roles(newcomer)
    assert newcomer.has_perm("helpdesk.refer")


@pytest.mark.django_db
def test_a_coordinator_elsewhere_cannot_approve() -> None:
    library = OrganisationFactory()
    other = UserFactory(role=Role.COORDINATOR)
    newcomer = UserFactory(role="")
    membership = services.request_membership(user=newcomer, organisation=library, by=newcomer)
    client = Client()
    client.force_login(other)
    assert newcomer.email not in client.get(reverse("organisations:approvals")).content.decode()
    response = client.post(
        reverse("organisations:decide", args=[membership.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.verified_at is None


@pytest.mark.django_db
def test_declining_removes_the_request_and_nobody_approves_themselves() -> None:
    library = OrganisationFactory()
    admin = UserFactory(role=Role.ADMIN)
    newcomer = UserFactory(role="")
    membership = services.request_membership(user=newcomer, organisation=library, by=newcomer)
    services.decide_membership(membership_id=membership.pk, approve=False, by=admin)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    second = OrganisationFactory(parent=library)
    own = services.request_membership(user=coordinator, organisation=second, by=coordinator)
    from fingerpost.core.errors import Invalid

    with pytest.raises(Invalid):
        services.decide_membership(membership_id=own.pk, approve=True, by=coordinator)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "", Role.MEMBER, Role.CHAMPION, Role.ORGANISER])
def test_only_coordinators_and_admins_open_the_approvals_page(role: str) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(UserFactory(role=role))
    response = client.get(reverse("organisations:approvals"))
    assert response.status_code == (302 if role == "anonymous" else 403)


@pytest.mark.django_db
def test_a_person_with_two_roles_approves_and_refers() -> None:
    library = OrganisationFactory(kind="library")
    person = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    grant_role(person, Role.CHAMPION, library)
    client = Client()
    client.force_login(person)
    assert client.get(reverse("organisations:approvals")).status_code == 200
    assert client.get(reverse("helpdesk:refer")).status_code == 200
    assert client.get(reverse("helpdesk:mine")).status_code == 200


REFERRAL = {
    "needs": ["email"],
    "name": "Ann Resident",
    "phone": "01305 123456",
    "postcode_or_town": "DT1 1AA",
    "consent_to_share": True,
}


@pytest.mark.django_db
def test_the_api_takes_the_referral_source_from_the_referrers_organisation() -> None:
    OrganisationFactory(name="Help desk")
    library = OrganisationFactory(kind="library")
    referrer = UserFactory(role=Role.MEMBER, role__organisation=library)
    client = Client()
    client.force_login(referrer)
    response = client.post(
        "/api/v1/help-requests/",
        {**REFERRAL, "referral_source": "self"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert HelpRequest.objects.get().referral_source == ReferralSource.LIBRARY


@pytest.mark.django_db
def test_the_web_referral_has_no_source_to_choose() -> None:
    OrganisationFactory(name="Help desk")
    council = OrganisationFactory(kind="council")
    referrer = UserFactory(role=Role.MEMBER, role__organisation=council)
    client = Client()
    client.force_login(referrer)
    assert "referral_source" not in client.get(reverse("helpdesk:refer")).content.decode()
    response = client.post(
        reverse("helpdesk:refer"),
        {
            **REFERRAL,
            "referral_source": "self",
            "needs": "email",
            "has_device": "yes",
            "has_internet": "yes",
            "help_modes": "library",
            "consent_to_share": "yes",
            "step": "confirm",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert HelpRequest.objects.get().referral_source == ReferralSource.COUNCIL_CONTACT_CENTRE


@pytest.mark.django_db
def test_an_unverified_account_cannot_refer_through_the_api() -> None:
    client = Client()
    client.force_login(UserFactory(role=""))
    response = client.post("/api/v1/help-requests/", REFERRAL, content_type="application/json")
    assert response.status_code == 403
    assert not HelpRequest.objects.exists()
