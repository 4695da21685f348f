"""The floor: a bare Django site (settings, URLconf and views in one module)
that bench/floor.py serves under the gunicorn settings of `fingerpost serve`
and on Fingerpost's own database. It is never part of Fingerpost's URLs.

No apps and no middleware: what any Django project pays for a request, and
nothing Fingerpost adds, so that a Fingerpost page's requests/s divided by
this site's is the share of the machine that Fingerpost keeps.
"""

from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, HttpResponse
from django.urls import path

from fingerpost import settings as fingerpost_settings

# The same database, connection settings (persistent, health-checked), host
# names and key as Fingerpost, read the way Fingerpost reads them.
DEBUG = False
SECRET_KEY = fingerpost_settings.SECRET_KEY
ALLOWED_HOSTS = fingerpost_settings.ALLOWED_HOSTS
DATABASES = fingerpost_settings.DATABASES
TIME_ZONE = fingerpost_settings.TIME_ZONE
USE_TZ = True
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = __name__
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


def one_query(request: HttpRequest) -> HttpResponse:
    # One ORM query on a table every migrated database has.
    row = MigrationRecorder.Migration.objects.order_by("pk").values_list("app", "name").first()
    return HttpResponse(f"{row}".encode(), content_type="text/plain")


urlpatterns = [
    path("bare", bare),
    path("one-query", one_query),
]
