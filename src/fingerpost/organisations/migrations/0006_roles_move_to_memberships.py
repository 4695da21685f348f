"""Each person's single role moves onto their memberships.

People who were staff before vetting existed keep what they had: every
membership they held is verified ("carried over"), and their role is set on
each of them. Someone who held a role but belonged to no organisation gets a
membership of the partnership itself (created if needed), so nobody loses a
role. Accounts with no membership stay unverified: that is the point of vetting.
The administrator role becomes the account's superuser flag.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify

ROLE_FLAGS = {"champion": "is_champion", "coordinator": "is_coordinator", "organiser": "is_organiser"}


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("organisations", "Organisation")
    Membership = apps.get_model("organisations", "Membership")
    now = timezone.now()
    Membership.objects.filter(verified_at__isnull=True).update(
        verified_at=now, verification="migrated"
    )
    partnership = None
    for user in User.objects.exclude(role="member").iterator():
        if user.role == "admin":
            User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
            continue
        flag = ROLE_FLAGS.get(user.role)
        if flag is None:
            continue
        memberships = Membership.objects.filter(user=user)
        if not memberships.exists():
            if partnership is None:
                name = settings.FINGERPOST_PARTNERSHIP_NAME
                partnership, _ = Organisation.objects.get_or_create(
                    slug=slugify(name)[:200], defaults={"name": name, "kind": "other"}
                )
            Membership.objects.create(
                user=user, organisation=partnership, verified_at=now, verification="migrated"
            )
        memberships.update(**{flag: True})


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("organisations", "Membership")
    # The strongest role each person held anywhere comes back as their one role.
    for role, flag in [("champion", "is_champion"), ("organiser", "is_organiser"),
                       ("coordinator", "is_coordinator")]:
        ids = Membership.objects.filter(**{flag: True}).values("user_id")
        User.objects.filter(pk__in=ids).update(role=role)
    User.objects.filter(is_superuser=True).update(role="admin")


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0005_membership_roles_and_vetting"),
        ("accounts", "0002_email_wording"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
