import os
import subprocess
import sys


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maillage.settings",
        "DEBUG": "0",
        "SECRET_KEY": "z" * 20 + "production-like-secret-key-with-enough-entropy-8f3a9c1e",
        "ALLOWED_HOSTS": "maillage.example.org",
        "EMAIL_URL": "smtp://smtp.example.org:587",
        "SECURE_SSL_REDIRECT": "1",
        "MAILLAGE_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "maillage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
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
