"""Maillage settings, read from the environment (see README.md for the variables)."""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from maillage.mailers import mailer_from_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
VAR_DIR = Path(os.environ.get("MAILLAGE_VAR_DIR", PROJECT_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-demo-key-only-for-local-development-never-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_tasks_db",
    "maillage.core",
    "maillage.directory",
    "maillage.orientation",
    "maillage.trainings",
    "maillage.prevention",
    "maillage.evaluation",  # before network: its demo indicators are fed by the surveys
    "maillage.network",
    "maillage.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "maillage.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "maillage.core.faults.DatabaseDownMiddleware",  # database down: 503 with emergency numbers
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "maillage.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "maillage.core.middleware.RequireSecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "maillage.urls"
WSGI_APPLICATION = "maillage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maillage.core.context_processors.shell",
            ],
        },
    }
]

# Database: SQLite file under var/ by default (WAL mode), PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "maillage.sqlite3",
            # Reuse the connection between requests (opening one costs ~10 ms of CPU).
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared by every worker and app server, never per-process memory (rate limits, login
# lockouts, used TOTP codes, build locks, cached pages): Redis when REDIS_URL is set, otherwise
# a table of the database (created by the migration core.0006_cache_table).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "maillage_cache",
            # Culled by a third past this many entries (cached search pages are the bulk).
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Email: EMAIL_URL (smtp://user:password@host:587, smtps://host:465, console://), to the console
# in the demo, to SMTP in production.
EMAIL_URL = os.environ.get("EMAIL_URL", "console://" if DEBUG else "")
if not EMAIL_URL:
    raise ImproperlyConfigured("EMAIL_URL must be set when DEBUG is off (e.g. smtp://host:587).")
MAILERS = {"default": mailer_from_url(EMAIL_URL)}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Maillage <ne-pas-repondre@maillage.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks framework, stored in the database, run by `maillage db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Accounts
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Passwords per OWASP ASVS 5.0 (V6.2): at least 12 characters (6.2.1 asks 8 and recommends 15:
# 12 with the checks below, the login throttling and a second factor for the widest roles), no
# maximum length (at least 64 must be allowed), no composition rule (hence no
# NumericPasswordValidator), not a common password, not close to the account's own email or
# name (context-specific words). Checked by tests/security/test_auth_hardening.py.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:workspace"
ACCOUNT_ADAPTER = "maillage.core.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# A honeypot field on the signup form (hidden from people; bots that fill it create nothing).
ACCOUNT_SIGNUP_FORM_CLASS = "maillage.core.ratelimit.SignupHoneypot"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/15m/key",
    "login": "30/m/ip",
    "signup": "10/h/ip",
    "reset_password": "5/h/ip,3/h/key",
}
# Behind N reverse proxies of your own, the client's address for every per-address limit (the
# login limits, error reports, surveys, the API...) is the N-th from the right of
# X-Forwarded-For (0: the socket's address, i.e. no proxy): maillage.core.ratelimit.
# client_address, which the account adapter hands to allauth too.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Maillage] "
# An email to the account when its password or email address changes, or when a second factor
# is added, removed or its recovery codes renewed (templates in maillage/templates/).
ACCOUNT_EMAIL_NOTIFICATIONS = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Maillage")
# A code of the 30 s step before or after is accepted too (clock drift, RFC 6238 §5.2); a code
# typed just as its step ended failed now and then.
MFA_TOTP_TOLERANCE = 1
# TOTP keys and recovery-code seeds are encrypted in the database (maillage/core/mfa.py) with
# the Fernet keys of MFA_ENCRYPTION_KEYS (comma-separated; the first encrypts, all decrypt),
# else with a key derived from SECRET_KEY.
MFA_ADAPTER = "maillage.core.mfa.MFAAdapter"
MFA_ENCRYPTION_KEYS = env_list("MFA_ENCRYPTION_KEYS")

# Sessions: short-lived, never for anonymous visitors (nothing writes to their session).
# SessionTimeoutMiddleware ends a signed-in session after 30 minutes without a request and 8
# hours after the login however active (ASVS 5.0 V7.3); logout flushes it server-side.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", 30 * 60))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", 8 * 3600))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A failed CSRF check answers a French page on the site's layout (quick exit, numbers).
CSRF_FAILURE_VIEW = "maillage.core.views.errors.csrf_failure"

# Security headers. The CSP allows no inline script or style but those carrying the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(self), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 63072000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Internationalisation: French first, English second; public URLs in English under /en/.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files (materials, attachments, signed sheets) go through Django's storage API: the
# local MEDIA_ROOT by default, or any backend named here, e.g. S3-compatible object storage with
# django-storages: MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage and
# MEDIA_STORAGE_OPTIONS='{"bucket_name": "maillage", "endpoint_url": "https://s3.example.org"}'.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(os.environ.get("MEDIA_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# The public address of this instance, for links in emails (https://maillage.example.org).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
# Requests a minute per client address on the public API (/api/v1/).
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "120"))
# Whom to tell of a vulnerability, in /.well-known/security.txt (RFC 9116): a mailto: or https:
# URI, e.g. mailto:securite@example.org. Unset, the file is not served (404).
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "")
# The neutral site the quick exit leaves to (it must answer fast and look ordinary).
QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.google.fr/search?q=m%C3%A9t%C3%A9o")
# Territory shown on the public pages of this instance (slug); the first one when unset.
DEFAULT_TERRITORY = os.environ.get("DEFAULT_TERRITORY", "")
DEMO_MODE = env_bool("DEMO_MODE", DEBUG)
# Address search used to place services on the map (Base Adresse Nationale), from the server
# only; empty turns geocoding off.
GEOCODER_URL = os.environ.get("GEOCODER_URL", "https://api-adresse.data.gouv.fr/search/")
# The directory's map, shown only when a visitor asks for it (no tile is loaded before).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = os.environ.get("MAP_ATTRIBUTION", "© les contributeurs d'OpenStreetMap")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The paths in Django's own lines ("Not Found: /enquetes/<token>/") lose their secrets.
    "filters": {"secret_paths": {"()": "maillage.core.secret_paths.SecretPathFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["secret_paths"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Requests are logged by gunicorn without query string, client address nor the secrets of
    # the paths (see serve and maillage.core.access_log).
    "loggers": {"django.server": {"handlers": [], "propagate": False}},
}

SILENCED_SYSTEM_CHECKS = []
