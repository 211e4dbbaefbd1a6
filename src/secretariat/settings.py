"""One env-driven settings module.

SQLite in the data directory by default; PostgreSQL when DATABASE_URL says so. Production
hardening (secure cookies, HSTS) is on whenever DEBUG is off.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting; anything but the words below is refused, so a typo cannot turn a
    safety switch off (or on) silently."""
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r}: expected one of {', '.join(TRUE_WORDS + FALSE_WORDS)}"
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("SECRETARIAT_DATA_DIR", "var")).resolve()
DEBUG = env_bool("SECRETARIAT_DEBUG", False)


def _secret_key() -> str:
    """The key from the environment, or one generated once and kept in the data directory."""
    if key := os.environ.get("SECRETARIAT_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(64)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("SECRETARIAT_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("SECRETARIAT_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "secretariat.core",
    "secretariat.accounts",
    "secretariat.outbox",
    "secretariat.notifications",
    "secretariat.notices",
    "secretariat.home",
    "secretariat.documents",
    "secretariat.archive",
    "secretariat.negotiation",
    "secretariat.communications",
]

MIDDLEWARE = [
    # First, so a lost database anywhere below gives the product's 503 page.
    "secretariat.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "secretariat.urls"
ASGI_APPLICATION = "secretariat.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "secretariat.home.context.shell",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    # Under ASGI every request runs in its own thread, so persistent connections would pile up
    # (one per thread); close each at the end of its request unless told otherwise.
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=int(os.environ.get("SECRETARIAT_DB_CONN_MAX_AGE", 0)),
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "secretariat.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
                # BEGIN so concurrent writers queue on busy_timeout instead of failing mid-way.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": float(os.environ.get("SECRETARIAT_SQLITE_TIMEOUT", 20)),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background work -------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Worker leases and the reaper (secretariat.core.reaper): a worker refreshes its heartbeat every
# HEARTBEAT seconds; one on another host is dead after STALE seconds without it (on this host
# its process is checked); workers reap and sweep overdue deadlines every REAP seconds.
TASK_HEARTBEAT_SECONDS = float(os.environ.get("SECRETARIAT_TASK_HEARTBEAT_SECONDS", 10))
TASK_STALE_SECONDS = float(os.environ.get("SECRETARIAT_TASK_STALE_SECONDS", 60))
TASK_REAP_SECONDS = float(os.environ.get("SECRETARIAT_TASK_REAP_SECONDS", 30))
TASK_DEADLINE_GRACE_SECONDS = float(os.environ.get("SECRETARIAT_TASK_GRACE_SECONDS", 60))

# --- accounts and sessions ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = int(os.environ.get("SECRETARIAT_SESSION_SECONDS", 8 * 3600))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LOGIN_THROTTLE_FAILURES = int(os.environ.get("SECRETARIAT_LOGIN_THROTTLE_FAILURES", 5))
LOGIN_THROTTLE_WINDOW = timedelta(minutes=15)

HTTPS = env_bool("SECRETARIAT_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECRETARIAT_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- languages -------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("SECRETARIAT_TIME_ZONE", "UTC")

# --- files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "files"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Static files are served from the package directly; no collectstatic step is needed to run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "files"
UPLOAD_MAX_BYTES = int(os.environ.get("SECRETARIAT_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- mail: the outbox sends it (secretariat.outbox) ------------------------------------------
EMAIL_HOST = os.environ.get("SECRETARIAT_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("SECRETARIAT_SMTP_PORT", 25))
DEFAULT_FROM_EMAIL = os.environ.get("SECRETARIAT_FROM_EMAIL", "secretariat@localhost")
EMAIL_HOST_USER = os.environ.get("SECRETARIAT_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SECRETARIAT_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SECRETARIAT_SMTP_TLS", False)  # STARTTLS on the submission port
EMAIL_TIMEOUT = float(os.environ.get("SECRETARIAT_SMTP_TIMEOUT", 30))
# Links in mail are absolute to the intranet.
SECRETARIAT_BASE_URL = os.environ.get("SECRETARIAT_BASE_URL", "http://localhost:8000")
# The outbox (secretariat.outbox.sending): messages per SMTP connection, the lease after which
# a message a dead worker claimed is sent again, retries with exponential backoff.
OUTBOX_BATCH_SIZE = int(os.environ.get("SECRETARIAT_MAIL_BATCH", 100))
OUTBOX_LEASE_SECONDS = float(os.environ.get("SECRETARIAT_MAIL_LEASE_SECONDS", 300))
OUTBOX_RETRY_BASE_SECONDS = float(os.environ.get("SECRETARIAT_MAIL_RETRY_SECONDS", 60))
OUTBOX_RETRY_MAX_SECONDS = float(os.environ.get("SECRETARIAT_MAIL_RETRY_MAX_SECONDS", 6 * 3600))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("SECRETARIAT_MAIL_MAX_ATTEMPTS", 12))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SECRETARIAT_LOG_LEVEL", "WARNING")},
}
