"""Django's deployment checklist: `check --deploy` clean with the production settings, and the
security settings those settings hold (read in a separate process, as in production)."""

import json
import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def production_env(tmp_path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maillage.settings",
        "DEBUG": "0",
        "SECRET_KEY": "z" * 20 + "production-like-secret-key-with-enough-entropy-8f3a9c1e",
        "ALLOWED_HOSTS": "maillage.example.org",
        "EMAIL_URL": "smtp://smtp.example.org:587",
        "SECURE_SSL_REDIRECT": "1",
        "MAILLAGE_VAR_DIR": str(tmp_path),
    }


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "maillage", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maillage.settings",
        "DEBUG": "0",
        "SECRET_KEY": "",
        "MAILLAGE_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "maillage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


SHOWN = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_AGE",
    "SESSION_IDLE_TIMEOUT",
    "SESSION_ABSOLUTE_TIMEOUT",
    "ACCOUNT_RATE_LIMITS",
    "AUTH_PASSWORD_VALIDATORS",
    "SILENCED_SYSTEM_CHECKS",
    "MIDDLEWARE",
    "X_FRAME_OPTIONS",
    "SECURE_REFERRER_POLICY",
]


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SHOWN!r}}}))"
    )
    env = {**production_env(tmp_path_factory.mktemp("var")), "SECURE_SSL_REDIRECT": ""}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_settings_are_https_only(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True  # the default when DEBUG is off
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["SECURE_REFERRER_POLICY"] == "same-origin"
    assert production["SILENCED_SYSTEM_CHECKS"] == []


def test_production_sessions_and_login_limits(production):
    assert production["SESSION_IDLE_TIMEOUT"] == 30 * 60
    assert production["SESSION_ABSOLUTE_TIMEOUT"] == 8 * 3600
    assert production["SESSION_COOKIE_AGE"] <= 8 * 3600
    assert "maillage.core.middleware.SessionTimeoutMiddleware" in production["MIDDLEWARE"]
    assert "maillage.core.middleware.RequireSecondFactorMiddleware" in production["MIDDLEWARE"]
    limits = production["ACCOUNT_RATE_LIMITS"]
    assert "/ip" in limits["login_failed"]
    assert "/key" in limits["login_failed"]
    validators = [v["NAME"].rsplit(".", 1)[1] for v in production["AUTH_PASSWORD_VALIDATORS"]]
    assert validators == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
    ]


# Dependencies locked (requirements.lock, installed by scripts/_python.sh).

ROOT = Path(__file__).resolve().parents[2]


def locked() -> dict[str, tuple[str, list[str]]]:
    """Normalised name -> (version, sha256 hashes) of every line of requirements.lock."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        requirement, *options = line.split()
        name, version = requirement.split("==")
        hashes = [o.removeprefix("--hash=sha256:") for o in options if o.startswith("--hash=")]
        pins[canonicalize_name(name)] = (version, hashes)
    return pins


def test_every_dependency_is_locked_with_a_hash():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = locked()
    for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(line)
        version, hashes = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version, prereleases=True), (line, version)
    for name, (_, hashes) in pins.items():
        assert len(hashes) == 1 and len(hashes[0]) == 64, name


def test_the_lock_is_what_the_environment_runs():
    """The versions the suite runs with are the locked ones (a stale lock fails here)."""
    for name, (version, _) in locked().items():
        assert metadata.version(name) == version, name
