"""Moving each person's single role onto their memberships loses nobody's role."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("accounts", "0002_email_wording"),
    ("organisations", "0005_membership_roles_and_vetting"),
]
AFTER = [("accounts", "0003_role_moves_to_memberships")]


@pytest.mark.django_db(transaction=True)
def test_roles_move_onto_memberships_and_the_unvetted_stay_unverified(settings) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    Organisation = old.get_model("organisations", "Organisation")
    Membership = old.get_model("organisations", "Membership")
    library = Organisation.objects.create(name="A library", slug="a-library", kind="library")
    coordinator = User.objects.create(email="c@example.org", role="coordinator")
    Membership.objects.create(user=coordinator, organisation=library)
    homeless = User.objects.create(email="o@example.org", role="organiser")
    admin = User.objects.create(email="a@example.org", role="admin")
    stranger = User.objects.create(email="s@example.org", role="member")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from fingerpost.accounts.models import User as NewUser
    from fingerpost.accounts.roles import Role, roles_of

    def roles(user):
        return roles_of(NewUser.objects.get(pk=user.pk))

    assert roles(coordinator).organisations_for(Role.COORDINATOR) == {library.pk}
    partnership = roles(homeless).organisations_for(Role.ORGANISER)
    assert len(partnership) == 1  # the partnership's own organisation, made for them
    assert roles(admin).is_admin
    assert not roles(stranger).holds(Role.MEMBER)
