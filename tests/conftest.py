from collections.abc import Callable

import pytest
from django.test import Client

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role

from .factories import UserFactory

ALL_ROLES = [Role.MEMBER, Role.CHAMPION, Role.COORDINATOR, Role.ORGANISER, Role.ADMIN]


@pytest.fixture(autouse=True)
def _test_settings(settings: object) -> None:
    # Tasks run at once (after commit) so tests see their emails; tests of the
    # worker itself switch back to the database backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.FINGERPOST_REQUIRE_MFA = False
    # Tests make many bookings from one address; the limits' own tests turn them on.
    settings.FINGERPOST_LIMITS_ENABLED = False
    settings.FINGERPOST_SMS_BACKEND = "fingerpost.core.sms.MemoryBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def sms_outbox() -> list[dict[str, str]]:
    """Texts sent during the test, like mail.outbox."""
    from fingerpost.core.sms import MemoryBackend

    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox


@pytest.fixture(autouse=True)
def _clear_cache(request: pytest.FixtureRequest) -> None:
    # Rate limits live in the cache; every test starts clean. The cache is
    # the database cache (as in production), so only tests with a database
    # have one to clear; its rows also go with each test's transaction.
    from django.core.cache import cache

    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "django_db_setup",
    } & set(request.fixturenames)
    if uses_db:
        # The database as the test's marker asks (what pytest-django's own marker uses).
        request.getfixturevalue("_django_db_helper")
        cache.clear()


@pytest.fixture
def user_with_role(db: None) -> Callable[[str], User]:
    def make(role: str) -> User:
        return UserFactory(role=role)

    return make


@pytest.fixture
def client_for(client: Client, user_with_role: Callable[[str], User]) -> Callable[[str], Client]:
    """A test client signed in as a new user with the given role."""

    def make(role: str) -> Client:
        signed_in = Client()
        signed_in.force_login(user_with_role(role))
        return signed_in

    return make
