import pytest
from django.test import Client

from fingerpost.accounts.roles import Role
from fingerpost.core.tasks import send_email

from ..factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_task_records_are_for_superusers_and_never_show_the_email(settings) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_email.enqueue(subject="Reset", body="Your secret reset link", to=["a@example.org"])
    task = DBTaskResult.objects.get()
    staff = UserFactory(role=Role.MEMBER, is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_dbtaskresult"))
    client = Client()
    client.force_login(staff)
    url = f"/admin/django_tasks_database/dbtaskresult/{task.pk}/change/"
    refused = client.get(url)
    assert refused.status_code in (302, 403, 404) and b"secret" not in refused.content
    superuser = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(superuser)
    page = client.get(url)
    assert page.status_code == 200 and b"secret reset link" not in page.content
