"""`maillage serve` as production runs it: DEBUG off, gunicorn, WhiteNoise, the worker beside."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def production_env(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maillage.settings",
        "DEBUG": "0",
        "SECRET_KEY": "serve-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "console://",
        "SECURE_SSL_REDIRECT": "0",
        "MAILLAGE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
    }
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "-m", "maillage", *command, "-v0"], env=env, check=True, timeout=300
        )
    return env


def get(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local server
        return response.status, dict(response.headers), response.read()


def test_serve_runs_gunicorn_whitenoise_and_the_worker(production_env):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "maillage",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=production_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, _, body = get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200 and body == b"ok\n"

        status, headers, html = get(f"{base}/?recherche=secret-du-visiteur")
        assert status == 200
        assert "Set-Cookie" not in headers
        css = re.search(rb'href="(/static/css/maillage\.[0-9a-f]{12}\.css)"', html).group(1)
        status, headers, _ = get(base + css.decode())
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
        workers = subprocess.run(
            ["pgrep", "-f", "maillage db_worker"], capture_output=True, text=True, check=False
        )
        assert workers.stdout.strip(), "the tasks worker is not running beside the server"
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)

    assert '"GET /healthz"' in output
    assert "secret-du-visiteur" not in output  # no query string in the access log
    assert "127.0.0.1 " not in output.split("Maillage sur")[-1]  # no client address
