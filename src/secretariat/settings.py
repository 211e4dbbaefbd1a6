"""One env-driven settings module.

SQLite in the data directory by default; PostgreSQL when DATABASE_URL says so. Production
hardening (secure cookies, HSTS) is on whenever DEBUG is off.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
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
# Addresses of reverse proxies whose X-Forwarded-For `secretariat serve` believes (default:
# none, so the client address is the connection's). The proxy must overwrite the header.
SECRETARIAT_TRUSTED_PROXIES = env_list("SECRETARIAT_TRUSTED_PROXIES", "")

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
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
    "secretariat.programme",
    "secretariat.board",
    "secretariat.meetings",
    "secretariat.api",
    # Only for its templates and vendored Swagger UI files (the API docs page).
    "ninja",
]

MIDDLEWARE = [
    # First, so a lost database anywhere below gives the product's 503 page.
    "secretariat.core.middleware.DatabaseUnavailableMiddleware",
    # Before anything that may write an audit row: the rows carry the client address.
    "secretariat.core.middleware.AuditAddressMiddleware",
    # Rows many parts of a page read (the forum's register) are read once per request.
    "secretariat.core.requestmemo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "secretariat.core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the login: marks the user verified by a second factor, then gates every page
    # until the second step is done, then keeps the session's "last seen" fresh.
    "django_otp.middleware.OTPMiddleware",
    "secretariat.accounts.twofactor.TwoFactorMiddleware",
    "secretariat.accounts.sessions.SessionRecordMiddleware",
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
    # Under ASGI every request runs in its own thread, so persistent connections (CONN_MAX_AGE)
    # would pile up, one per thread. Instead each process keeps a pool (psycopg_pool, Django's
    # OPTIONS["pool"]): a request borrows a connection, checked with one round trip, and gives
    # it back at its end, so it no longer pays a new connection (TCP, authentication, backend
    # start: several ms, and a PostgreSQL process per request). A lost database: the broken
    # connections fail the check and are dropped, a request waits at most
    # SECRETARIAT_DB_POOL_TIMEOUT seconds for a new one and gets the 503 page (PoolTimeout is
    # an OperationalError), and the pool reconnects by itself once the server is back.
    # Opt-in (SECRETARIAT_DB_POOL=1) until the test suite has run with it: by default one
    # connection per request.
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=int(os.environ.get("SECRETARIAT_DB_CONN_MAX_AGE", 0)),
        )
    }
    DATABASES["default"].setdefault("OPTIONS", {})
    # A server that does not answer at all (a dropped route) fails a connection in seconds.
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", int(os.environ.get("SECRETARIAT_DB_CONNECT_TIMEOUT", 5))
    )
    if env_bool("SECRETARIAT_DB_POOL", False) and not DATABASES["default"].get("CONN_MAX_AGE"):
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": int(os.environ.get("SECRETARIAT_DB_POOL_MIN", 2)),
            "max_size": int(os.environ.get("SECRETARIAT_DB_POOL_MAX", 10)),
            "timeout": float(os.environ.get("SECRETARIAT_DB_POOL_TIMEOUT", 5)),
            # The pool's own retries of a lost server back off (1, 2, 4 ... s); it gives them up
            # after this long, and the next request then connects at once.
            "reconnect_timeout": float(os.environ.get("SECRETARIAT_DB_POOL_RECONNECT", 10)),
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

# --- cache -------------------------------------------------------------------------------------
# Rendered fragments that many readers share (the negotiation workspace's paragraphs, keyed by
# the negotiation's change counters and everything the viewer's rights change in them).
# SECRETARIAT_CACHE_URL: redis://HOST:PORT/DB (or rediss://) for several web processes or hosts
# sharing one cache; locmem:// (the default: one cache per process), file:///PATH, dummy://.


def _cache(url: str) -> dict[str, Any]:
    scheme, _sep, rest = url.partition("://")
    if scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("SECRETARIAT_CACHE_PREFIX", "secretariat"),
        }
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": rest or "secretariat",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    if scheme == "file":
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": rest}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        "SECRETARIAT_CACHE_URL must be redis://, rediss://, locmem://, file:///PATH or dummy://"
    )


CACHES = {"default": _cache(os.environ.get("SECRETARIAT_CACHE_URL", "locmem://"))}

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
# How often a request refreshes its session's "last seen" row (accounts.sessions).
SESSION_TOUCH_SECONDS = int(os.environ.get("SECRETARIAT_SESSION_TOUCH_SECONDS", 300))
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# --- single sign-on: OpenID Connect (secretariat.accounts.oidc), off unless an issuer is set --
# The password login always stays (the secretariat's break-glass access).
OIDC_ISSUER = os.environ.get("SECRETARIAT_OIDC_ISSUER", "")
OIDC_ENABLED = bool(OIDC_ISSUER)
OIDC_PROVIDER_NAME = os.environ.get("SECRETARIAT_OIDC_NAME", "")
OIDC_DELEGATION_CLAIM = os.environ.get(
    "SECRETARIAT_OIDC_DELEGATION_CLAIM", "secretariat_delegation"
)
OIDC_RP_SIGN_ALGO = os.environ.get("SECRETARIAT_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = float(os.environ.get("SECRETARIAT_OIDC_TIMEOUT", 10))
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
if OIDC_ENABLED:

    def _oidc_setting(name: str) -> str:
        if value := os.environ.get(f"SECRETARIAT_OIDC_{name}", "").strip():
            return value
        raise ImproperlyConfigured(f"SECRETARIAT_OIDC_ISSUER is set: set SECRETARIAT_OIDC_{name}")

    OIDC_RP_CLIENT_ID = _oidc_setting("CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _oidc_setting("CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = _oidc_setting("AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = _oidc_setting("TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _oidc_setting("USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _oidc_setting("JWKS_ENDPOINT")
    AUTHENTICATION_BACKENDS.append("secretariat.accounts.oidc.SecretariatOIDCBackend")

# API calls a token (or a signed-in user's browser) may make: "N/s", "N/min", "N/hour".
SECRETARIAT_API_RATE = os.environ.get("SECRETARIAT_API_RATE", "600/min").strip()
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", SECRETARIAT_API_RATE):
    raise ImproperlyConfigured('SECRETARIAT_API_RATE must read like "600/min"')
LOGIN_THROTTLE_FAILURES = int(os.environ.get("SECRETARIAT_LOGIN_THROTTLE_FAILURES", 5))
LOGIN_THROTTLE_WINDOW = timedelta(minutes=15)
# Password-reset requests: per email address and per client address, within the window
# (accounts.throttle.reset_refused). A client address gets more room: a whole delegation may
# sit behind one gateway.
PASSWORD_RESET_PER_EMAIL = int(os.environ.get("SECRETARIAT_PASSWORD_RESET_PER_EMAIL", 5))
PASSWORD_RESET_PER_CLIENT = int(os.environ.get("SECRETARIAT_PASSWORD_RESET_PER_CLIENT", 20))
PASSWORD_RESET_WINDOW = timedelta(hours=1)
# Two-factor sign-in (django-otp; secretariat.accounts.twofactor). Wrong codes are counted by
# the login throttle above (from the audit log, shared by every process), so django-otp's own
# per-device delay is off: it would refuse a right code after a typo without saying why.
OTP_TOTP_ISSUER = os.environ.get("SECRETARIAT_OTP_ISSUER", "Secretariat")
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Security keys (WebAuthn; secretariat.accounts.securitykeys). The relying party id is the
# domain keys are bound to, and the origins the pages they answer are served from: both are
# taken from each request's host (checked against ALLOWED_HOSTS) unless set here. Behind a
# proxy, or to let keys work across sub-domains, set them: a key enrolled under one id works
# under no other.
WEBAUTHN_RP_ID = os.environ.get("SECRETARIAT_WEBAUTHN_RP_ID", "").strip()
WEBAUTHN_ORIGINS = env_list("SECRETARIAT_WEBAUTHN_ORIGINS", "")
WEBAUTHN_RP_NAME = os.environ.get("SECRETARIAT_WEBAUTHN_RP_NAME", OTP_TOTP_ISSUER)
WEBAUTHN_CHALLENGE_SECONDS = int(os.environ.get("SECRETARIAT_WEBAUTHN_CHALLENGE_SECONDS", 300))
# A key or code given again before removing a key counts for this long (and for one removal).
TWOFACTOR_RECONFIRM_SECONDS = 300

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
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Content-Security-Policy (django-csp 4; rules for templates in docs/architecture.md) ------
# Everything from this server only; no inline <script>, no on...= handler, no style="..."
# attribute or <style> element: behaviour goes in static/js, looks in static/css classes.
# data: images only because Pico's CSS draws its checkboxes and chevrons with data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_NONE],
        "frame-ancestors": [CSP_NONE],
        "form-action": [CSP_SELF],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# --- languages -------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The interface languages (the switch in the header, User.language); the languages a
# document or a note is written in are separate lists (documents.models.LANGUAGES,
# communications.models.NOTE_LANGUAGES).
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Our format modules (core/formats): English dates as "17 June 2006", Kazakh ones (Django has
# Kazakh translations but no Kazakh formats) as "2026 жылғы 17 маусым"; Russian keeps
# Django's genitive "17 июня 2006 г.".
FORMAT_MODULE_PATH = ["secretariat.core.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("SECRETARIAT_TIME_ZONE", "UTC")

# --- files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Files (library versions, notes verbales' PDFs) go through Django's storage API. By default
# they sit in the data directory, written atomically (core.storage: a full disk leaves no
# half-written file). Several web hosts without a shared disk use an object store instead:
# SECRETARIAT_STORAGE=s3 selects django-storages' S3 backend (pip install django-storages[s3]),
# configured by its own AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME,
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment variables (read here).
_STORAGE = os.environ.get("SECRETARIAT_STORAGE", "filesystem")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "secretariat.core.storage.AtomicFileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "files"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if _STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif _STORAGE != "filesystem":
    raise ImproperlyConfigured("SECRETARIAT_STORAGE must be 'filesystem' or 's3'")
# Static files are served from the package directly; no collectstatic step is needed to run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "files"
UPLOAD_MAX_BYTES = int(os.environ.get("SECRETARIAT_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads are streamed to disk and refused while they are read once past UPLOAD_MAX_BYTES
# (secretariat.core.uploads); a zip (DOCX) may unpack to at most UPLOAD_MAX_UNPACKED_BYTES,
# no member more than UPLOAD_MAX_RATIO times its packed size.
FILE_UPLOAD_HANDLERS = [
    "secretariat.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_MAX_UNPACKED_BYTES = int(
    os.environ.get("SECRETARIAT_UPLOAD_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
)
UPLOAD_MAX_RATIO = int(os.environ.get("SECRETARIAT_UPLOAD_MAX_RATIO", 200))
# A negotiation draft to import (a file or typed text); bigger ones run as a task.
NEGOTIATION_IMPORT_MAX_BYTES = int(
    os.environ.get("SECRETARIAT_NEGOTIATION_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
)
NEGOTIATION_IMPORT_TASK_BYTES = int(
    os.environ.get("SECRETARIAT_NEGOTIATION_IMPORT_TASK_BYTES", 1024 * 1024)
)

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
# The domain of the board's inbound addresses (reply+...@, board-...@); `secretariat mailin`.
SECRETARIAT_MAIL_DOMAIN = os.environ.get("SECRETARIAT_MAIL_DOMAIN", "board.localhost")
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
