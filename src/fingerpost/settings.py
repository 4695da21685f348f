"""Fingerpost settings, read from the environment (12-factor).

Development defaults are safe to run on a laptop. With DEBUG=false the
settings become strict: a real SECRET_KEY and ALLOWED_HOSTS are required and
`fingerpost check --deploy` reports nothing.
"""

from datetime import timedelta
from pathlib import Path

import environ

from fingerpost.core.file_storage import storage_from_url

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parents[1]

env = environ.Env()
environ.Env.read_env(PROJECT_DIR / ".env") if (PROJECT_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=True)
VAR_DIR = Path(env.str("FINGERPOST_VAR_DIR", default=str(PROJECT_DIR / "var")))

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env.str("SECRET_KEY")  # required: fails loudly when missing
    if len(SECRET_KEY) < 50:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# The partnership's own name and details: the shell is rebranded per deployment.
FINGERPOST_SERVICE_NAME = env.str("FINGERPOST_SERVICE_NAME", default="Fingerpost")
FINGERPOST_PARTNERSHIP_NAME = env.str(
    "FINGERPOST_PARTNERSHIP_NAME", default="Dorset Digital Partnership"
)
FINGERPOST_CONTACT_EMAIL = env.str("FINGERPOST_CONTACT_EMAIL", default="digital@example.org")
# The public address of the site: every absolute link (emails, calendar
# files, check-in codes) is built from it. Locally it follows PORT, which
# `make run` and `fingerpost serve` both read.
FINGERPOST_SITE_URL = env.str(
    "FINGERPOST_SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}"
)
FINGERPOST_CONTACT_PHONE = env.str("FINGERPOST_CONTACT_PHONE", default="01305 000000")
# Demo accounts have a public password: only ever in development or a benchmark.
FINGERPOST_DEMO_ALLOWED = env.bool("FINGERPOST_DEMO_ALLOWED", default=DEBUG)
# The help desk.
FINGERPOST_HELPDESK_ORGANISATION = env.str("FINGERPOST_HELPDESK_ORGANISATION", default="")
FINGERPOST_HELPDESK_RETENTION_DAYS = env.int("FINGERPOST_HELPDESK_RETENTION_DAYS", default=365)
# The quiz: players' nicknames are anonymised this many days after their
# session ends (or starts, when it was never finished); results stay.
FINGERPOST_QUIZ_RETENTION_DAYS = env.int("FINGERPOST_QUIZ_RETENTION_DAYS", default=30)
FINGERPOST_HELPDESK_FIRST_CONTACT_HOURS = env.int(
    "FINGERPOST_HELPDESK_FIRST_CONTACT_HOURS", default=48
)
FINGERPOST_HELPDESK_CONTACT_TRIES = env.int("FINGERPOST_HELPDESK_CONTACT_TRIES", default=3)
# The report's figures are kept this long (0: worked out on every visit).
FINGERPOST_HELPDESK_REPORT_SECONDS = env.int(
    "FINGERPOST_HELPDESK_REPORT_SECONDS", default=0 if DEBUG else 60
)
FINGERPOST_CHAMPIONS_CHECK_WARNING_DAYS = env.list(
    "FINGERPOST_CHAMPIONS_CHECK_WARNING_DAYS", cast=int, default=[30, 7]
)
FINGERPOST_CHAMPIONS_NO_SESSION_DAYS = env.int("FINGERPOST_CHAMPIONS_NO_SESSION_DAYS", default=7)
FINGERPOST_CHAMPIONS_MILESTONE_HOURS = env.list(
    "FINGERPOST_CHAMPIONS_MILESTONE_HOURS", cast=int, default=[10, 50, 100]
)
FINGERPOST_CHAMPIONS_MATCH_WEIGHTS = env.dict(
    "FINGERPOST_CHAMPIONS_MATCH_WEIGHTS",
    cast={"value": int},
    # "free": free at one of the times the resident gave; "day": per day a
    # coordinator ticks on the suggestions page.
    default={"need": 10, "area": 8, "language": 6, "way": 4, "free": 5, "day": 2, "load": 3},
)
FINGERPOST_SAFEGUARDING_EMAIL = env.str(
    "FINGERPOST_SAFEGUARDING_EMAIL", default="safeguarding@example.org"
)
# A visitor's session (no one signed in) ends with the browser and after this
# many idle minutes: residents use shared library PCs.
FINGERPOST_ANONYMOUS_SESSION_IDLE_MINUTES = env.int(
    "FINGERPOST_ANONYMOUS_SESSION_IDLE_MINUTES", default=20
)
# Device lending: a reminder this many days before a loan is due, overdue
# notices on these days after, borrowers' details kept this long after their
# last loan or hold ends.
FINGERPOST_LENDING_REMINDER_DAYS = env.int("FINGERPOST_LENDING_REMINDER_DAYS", default=3)
FINGERPOST_LENDING_OVERDUE_DAYS = env.list(
    "FINGERPOST_LENDING_OVERDUE_DAYS", cast=int, default=[1, 7, 14, 28]
)
FINGERPOST_LENDING_RETENTION_DAYS = env.int("FINGERPOST_LENDING_RETENTION_DAYS", default=365)
# Insights: each source's figures are kept this long per filter (0: off), in this cache.
FINGERPOST_INSIGHTS_CACHE_SECONDS = env.int("FINGERPOST_INSIGHTS_CACHE_SECONDS", default=300)
FINGERPOST_INSIGHTS_CACHE = env.str("FINGERPOST_INSIGHTS_CACHE", default="default")
# Roles that see residents' data must use two-factor authentication.
# The partnership network (docs/operations.md, "Network").
FINGERPOST_NETWORK_STORAGE = env.str("FINGERPOST_NETWORK_STORAGE", default="default")
FINGERPOST_NETWORK_UPLOAD_MAX_MB = env.int("FINGERPOST_NETWORK_UPLOAD_MAX_MB", default=20)
FINGERPOST_NETWORK_IMPORT_MAX_MB = env.int("FINGERPOST_NETWORK_IMPORT_MAX_MB", default=20)
FINGERPOST_NETWORK_EDIT_MINUTES = env.int("FINGERPOST_NETWORK_EDIT_MINUTES", default=30)
FINGERPOST_NETWORK_DIGEST_WEEKDAY = env.int("FINGERPOST_NETWORK_DIGEST_WEEKDAY", default=0)

FINGERPOST_REQUIRE_MFA = env.bool("FINGERPOST_REQUIRE_MFA", default=not DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "ninja",
    "fingerpost.core",
    "fingerpost.accounts",
    "fingerpost.organisations",
    "fingerpost.events",
    "fingerpost.helpdesk",
    "fingerpost.directory",
    "fingerpost.skills",
    "fingerpost.lending",
    "fingerpost.champions",
    "fingerpost.quiz",
    "fingerpost.network",
    "fingerpost.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A live quiz's phones poll its state every second or so (a room of 500
    # is hundreds a second, nearly all 304s): answered here, not logged.
    "fingerpost.quiz.middleware.AnswerStatePolls",
    # One line per request (static files and quiz state polls above are not logged).
    "fingerpost.core.logging.AccessLog",
    "fingerpost.core.middleware.AnswerHealthChecks",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "fingerpost.core.middleware.RejectNulCharacters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fingerpost.core.sessions.ShortAnonymousSessions",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the fixed header built once.
    "fingerpost.core.middleware.ContentSecurityPolicy",
    "allauth.account.middleware.AccountMiddleware",
    "fingerpost.accounts.middleware.RequireMfaForResidentDataRoles",
    # A service's refusal that no view caught becomes the page for its status.
    "fingerpost.core.errors.ServiceErrorMiddleware",
    # Axes last: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fingerpost.urls"
WSGI_APPLICATION = "fingerpost.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "fingerpost.core.context_processors.service",
            ],
            "builtins": ["fingerpost.core.templatetags.govuk"],
        },
    }
]
# Every form renders the GOV.UK way (labels, hints, inline errors).
FORM_RENDERER = "fingerpost.core.forms.GovukFormRenderer"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'fingerpost.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at
    # the start of a transaction so two writers queue instead of deadlocking.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every worker: rate limits, allauth's limits and its record of
# two-factor codes already used must be shared, or each process keeps its
# own. The database cache (its table made by `fingerpost migrate`) needs no
# other server; CACHE_URL=redis://... uses Redis instead.
CACHES = {
    "default": env.cache_url("CACHE_URL")
    if env.str("CACHE_URL", default="")
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "fingerpost_cache",
        # Culling is by expiry first; this many entries before it starts.
        "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4},
    }
}
# Limits on public submissions (core/limits.py): (attempts, seconds), per
# client address and per email address named. FINGERPOST_LIMITS_ENABLED=false
# turns them off (a load test from one address, say).
FINGERPOST_LIMITS_ENABLED = env.bool("FINGERPOST_LIMITS_ENABLED", default=True)
FINGERPOST_LIMITS = {
    "bookings": {"address": (20, 3600), "email": (5, 3600)},
    "help_requests": {"address": (10, 3600), "email": (3, 86400)},
    "referrals": {"address": (60, 3600), "email": (3, 86400)},
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"

# django-allauth: email is the login; email must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_SIGNUP_FORM_CLASS = "fingerpost.accounts.forms.SignupDetailsForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{FINGERPOST_SERVICE_NAME}] "
ACCOUNT_ADAPTER = "fingerpost.accounts.adapter.AccountAdapter"
# Repeated wrong passwords are handled by django-axes (per account, with a
# clear lockout page); allauth keeps only a flood limit per address.
# Per address and per account: the per-account part is what limits guesses
# at two-factor codes (wrong passwords lock the account after five, by axes).
# Sign-ups: a few an hour from one address; a confirmation email to any one
# address at most every three minutes (allauth's own limits, in the shared cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/m/ip,8/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "1/3m/key",
}
# Emails show the address, never a name someone typed in at sign-up.
ACCOUNT_USER_DISPLAY = "fingerpost.accounts.models.user_display"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = FINGERPOST_SERVICE_NAME

# django-axes: five failed sign-ins lock that account out for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Per account, not per address: partner staff share office and library
# networks, and one person's typos must not lock out a whole building.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "fingerpost.accounts.lockout.username_from_credentials"
AXES_LOCKOUT_CALLABLE = "fingerpost.accounts.lockout.locked_out_response"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy, the client's address is the last one the proxy adds.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_VERBOSE = False

# Background work: django-tasks with the database backend; `fingerpost worker`.
# Finished background tasks (which hold the emails and texts sent) are
# deleted by `fingerpost sweep` after this many days.
FINGERPOST_TASK_RESULT_DAYS = env.int("FINGERPOST_TASK_RESULT_DAYS", default=7)
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
# A task whose worker has not written its heartbeat for this long goes back
# to the queue; /healthz/worker answers 503 when no worker is that fresh.
FINGERPOST_WORKER_STALE_SECONDS = env.int("FINGERPOST_WORKER_STALE_SECONDS", default=60)

# The outbox (core/outbox.py): emails and texts are sent by the worker, tried
# again after a temporary failure (first after this many seconds, doubling
# up to an hour) until this many hours have passed, then shown as failed.
FINGERPOST_DELIVERY_FIRST_RETRY_SECONDS = env.int(
    "FINGERPOST_DELIVERY_FIRST_RETRY_SECONDS", default=30
)
FINGERPOST_DELIVERY_MAX_RETRY_SECONDS = env.int(
    "FINGERPOST_DELIVERY_MAX_RETRY_SECONDS", default=3600
)
FINGERPOST_DELIVERY_GIVE_UP_HOURS = env.int("FINGERPOST_DELIVERY_GIVE_UP_HOURS", default=24)
# A message a worker claimed is taken back by another after this long (the
# worker died). Keep it well above EMAIL_TIMEOUT.
FINGERPOST_DELIVERY_LEASE_SECONDS = env.int("FINGERPOST_DELIVERY_LEASE_SECONDS", default=120)
# Sent messages keep their content this long (then only the record remains),
# failed ones this long.
FINGERPOST_MESSAGE_DAYS = env.int("FINGERPOST_MESSAGE_DAYS", default=7)
FINGERPOST_FAILED_MESSAGE_DAYS = env.int("FINGERPOST_FAILED_MESSAGE_DAYS", default=30)

# The live quiz: players in one session at most, and how often phones ask for news.
FINGERPOST_QUIZ_MAX_PLAYERS = env.int("FINGERPOST_QUIZ_MAX_PLAYERS", default=1000)
FINGERPOST_QUIZ_POLL_MS = env.int("FINGERPOST_QUIZ_POLL_MS", default=1000)
# A cache (alias) every process shares, such as Redis, that holds each live
# session's state for the polls; "" reads it from the database on every poll.
FINGERPOST_QUIZ_STATE_CACHE = env.str("FINGERPOST_QUIZ_STATE_CACHE", default="")

# Email: files under var/mail/ in development (one per email, away from the
# request log), SMTP via EMAIL_URL, or GOV.UK Notify when
# GOVUK_NOTIFY_API_KEY is set.
GOVUK_NOTIFY_API_KEY = env.str("GOVUK_NOTIFY_API_KEY", default="")
GOVUK_NOTIFY_TEMPLATE_ID = env.str("GOVUK_NOTIFY_TEMPLATE_ID", default="")
if GOVUK_NOTIFY_API_KEY:
    EMAIL_BACKEND = "fingerpost.core.mail.NotifyEmailBackend"
elif DEBUG and "EMAIL_URL" not in env:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
elif DEBUG:
    vars().update(env.email_url("EMAIL_URL"))
else:
    # Required in production: sign-up and bookings depend on email arriving.
    vars().update(env.email_url("EMAIL_URL"))
# An SMTP server that stops answering must not hold a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Fingerpost <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages (core/sms.py): GOV.UK Notify when an SMS template is set,
# files under var/texts/ in development, otherwise not sent (and logged).
GOVUK_NOTIFY_SMS_TEMPLATE_ID = env.str("GOVUK_NOTIFY_SMS_TEMPLATE_ID", default="")
FINGERPOST_SMS_BACKEND = env.str(
    "FINGERPOST_SMS_BACKEND",
    default=(
        "fingerpost.core.sms.NotifyBackend"
        if GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_SMS_TEMPLATE_ID
        else "fingerpost.core.sms.FileBackend"
        if DEBUG
        else "fingerpost.core.sms.DisabledBackend"
    ),
)

LANGUAGE_CODE = "en-gb"
# Welsh-ready: resident-facing text is marked for translation; `fingerpost
# makemessages -l cy` writes the catalogue under locale/. The language is not
# chosen per request yet (see docs/operations.md, "Welsh").
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    # Uploaded files: the local disk (MEDIA_ROOT) unless FILE_STORAGE_URL names
    # an S3-compatible store (fingerpost/core/file_storage.py). MEDIA_ROOT is
    # never served: files go out only through permission-checked views.
    "default": storage_from_url(env.str("FILE_STORAGE_URL", default="")),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Security headers. Strict in production; plain HTTP can be allowed for a
# local production-like run (see docs/operations.md).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "fingerpost.core.views.csrf_failure"
if not DEBUG:
    _https = env.bool("FINGERPOST_HTTPS", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _https
    SESSION_COOKIE_SECURE = _https
    CSRF_COOKIE_SECURE = _https
    SECURE_HSTS_SECONDS = 31_536_000 if _https else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/worker)?$"]

from csp.constants import NONCE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Structured logs: one JSON line per request in production, readable in development.
import structlog  # noqa: E402

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "dev_server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processor": structlog.processors.JSONRenderer(),
        },
        "console": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processor": structlog.dev.ConsoleRenderer(colors=False),
        },
    },
    "filters": {"hide_private_links": {"()": "fingerpost.core.logging.HidePrivateLinks"}},
    "handlers": {
        "stream": {
            "class": "logging.StreamHandler",
            "formatter": "console" if DEBUG else "json",
            "filters": ["hide_private_links"],
        },
        # The development server's own line per request (`make run`), private
        # links hidden as everywhere else.
        "dev_server": {
            "class": "logging.StreamHandler",
            "formatter": "dev_server",
            "filters": ["hide_private_links"],
        },
    },
    "loggers": {
        "django.server": {"handlers": ["dev_server"], "level": "INFO", "propagate": False},
        "fingerpost": {"handlers": ["stream"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["stream"], "level": "ERROR", "propagate": False},
    },
}
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.filter_by_level,
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    cache_logger_on_first_use=True,
)
