"""Settings for the test suite: production settings with the few test tweaks below."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("EMAIL_URL", "console://")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("QUICK_EXIT_URL", "https://neutre.example.org/meteo")
os.environ.setdefault("MAP_TILE_URL", "https://tuiles.example.org/{z}/{x}/{y}.png")

from maillage.settings import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client and the live server speak plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/15m/key"}
# Geocoding off: no test reaches the Base Adresse Nationale (tests/directory/test_geocoding.py
# points it at a local stub server).
GEOCODER_URL = ""
