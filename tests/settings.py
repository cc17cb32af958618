"""Settings for the test suite: production settings with the few test tweaks below."""

import os
from urllib.parse import urlsplit

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("EMAIL_URL", "console://")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("QUICK_EXIT_URL", "https://neutre.example.org/meteo")
os.environ.setdefault("MAP_TILE_URL", "https://tuiles.example.org/{z}/{x}/{y}.png")
os.environ.setdefault("SECURITY_CONTACT", "mailto:securite@example.org")

from maillage.settings import *  # noqa: F403
from maillage.settings import CACHES, PROJECT_DIR, REDIS_URL

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client and the live server speak plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Static files as in production (DEBUG off): WhiteNoise's compressed manifest storage, collected
# once per session into var/test-static/ by tests/harness.py (again only when a file changed).
STATIC_ROOT = PROJECT_DIR / "var" / "test-static"
# The shared cache of production: the database table, or Redis when REDIS_URL is set, then one
# Redis database per pytest-xdist worker (15, 14...: never the 0 an instance would use), which
# the tests empty at will.
if REDIS_URL:
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    CACHES["default"]["LOCATION"] = (
        urlsplit(REDIS_URL)._replace(path=f"/{15 - _worker % 15}").geturl()
    )
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/15m/key"}
# Geocoding off: no test reaches the Base Adresse Nationale (tests/directory/test_geocoding.py
# points it at a local stub server).
GEOCODER_URL = ""
