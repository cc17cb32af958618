"""`maillage serve` as production runs it: DEBUG off, gunicorn, WhiteNoise, the worker beside.

Each server binds port 0 (the kernel picks a free port, no race with another test or program)
and the port is read from gunicorn's "Listening at" line; every process started is stopped
and waited for, even when an assertion fails.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

SECRET = "Zq8-SecretToken_0123456789abcdefXYZ"
START_TIMEOUT = 120  # seconds: two servers starting at once on a loaded 2-core machine


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    """A migrated instance with its static files collected, and a home of its own (where
    gunicorn would put its default control socket)."""
    root = tmp_path_factory.mktemp("serve")
    for folder in ("home", "run"):
        (root / folder).mkdir(mode=0o700)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maillage.settings",
        "DEBUG": "0",
        "SECRET_KEY": "serve-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "console://",
        "SECURE_SSL_REDIRECT": "0",
        "MAILLAGE_VAR_DIR": str(root / "var"),
        "DATABASE_URL": "",
        "HOME": str(root / "home"),
        "XDG_RUNTIME_DIR": str(root / "run"),
    }
    # The static files the test session collected with the same storage (manifest, compressed):
    # `collectstatic` itself is run by the production smoke test.
    env["STATIC_ROOT"] = str(settings.STATIC_ROOT)
    subprocess.run(
        [sys.executable, "-m", "maillage", "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
        timeout=300,
    )
    return env


def get(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
        return response.status, dict(response.headers), response.read()


def children(pid: int) -> list[int]:
    """The child processes of `pid` (Linux: /proc/<pid>/task/<tid>/children)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # the task ended meanwhile
            continue
    return found


def command_line(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    except OSError:
        return []


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Server:
    """One `maillage serve` on a port the kernel chose, its output collected by a thread."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "maillage", "serve", "--bind", "127.0.0.1:0", "--workers", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.port: int | None = None

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_until_listening(self) -> str:
        """The base URL, once gunicorn listens and the application answers."""
        deadline = time.monotonic() + START_TIMEOUT
        while self.port is None:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.output)
            if found:
                self.port = int(found.group(1))
            elif self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"maillage serve did not start:\n{self.output}")
            else:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{self.port}"
        while True:
            try:
                status, _, body = get(f"{base}/healthz")
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
            else:
                assert (status, body) == (200, b"ok\n")
                return base

    def worker(self) -> int:
        """The pid of the tasks worker this server started (its own child, not any worker
        of the machine)."""
        for pid in children(self.process.pid):
            if "db_worker" in command_line(pid):
                return pid
        pytest.fail(f"no tasks worker among the children of maillage serve: {self.output}")

    def stop(self) -> str:
        """Stop the server and its children, wait for them, and return all the output."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.reader.join(timeout=10)
        self.process.stdout.close()
        return self.output


@pytest.fixture
def serve(production_env):
    """Start servers; all are stopped after the test, whatever happened."""
    servers: list[Server] = []

    def start() -> Server:
        server = Server(production_env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_serve_runs_gunicorn_whitenoise_and_the_worker(serve):
    server = serve()
    base = server.wait_until_listening()
    status, headers, html = get(f"{base}/?recherche=secret-du-visiteur")
    assert status == 200
    assert "Set-Cookie" not in headers
    css = re.search(rb'href="(/static/css/maillage\.[0-9a-f]{12}\.css)"', html).group(1)
    status, headers, _ = get(base + css.decode())
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    worker = server.worker()
    assert running(worker)

    output = server.stop()
    assert server.process.returncode == 0
    assert not running(worker), "the tasks worker outlived maillage serve"
    assert '"GET /healthz"' in output
    assert "secret-du-visiteur" not in output  # no query string in the access log
    assert "127.0.0.1 " not in output  # no client address


def test_the_access_log_holds_no_secret_of_a_link(serve):
    server = serve()
    base = server.wait_until_listening()
    links = [
        f"/compte/password/reset/key/3f-{SECRET}/",
        f"/enquetes/{SECRET}/",
        f"/formations/agenda/{SECRET}.ics",
        f"/en/formations/evaluation/{SECRET}/",
    ]
    for link in links:
        try:
            get(base + link)
        except urllib.error.HTTPError as error:  # an unknown token: 404, logged all the same
            error.close()
    output = server.stop()
    assert '"GET /compte/password/reset/key/[secret]-[secret]/"' in output
    assert '"GET /enquetes/[secret]/"' in output
    assert '"GET /formations/agenda/[secret].ics"' in output
    assert SECRET not in output
    assert "3f-" not in output


def test_two_servers_on_one_machine_answer_each_with_its_own_worker_and_no_shared_socket(
    serve, production_env
):
    first, second = serve(), serve()
    bases = [first.wait_until_listening(), second.wait_until_listening()]
    assert bases[0] != bases[1]
    for base in bases:
        assert get(f"{base}/healthz")[0] == 200
    assert first.worker() != second.worker()
    # gunicorn's default control socket would be one path for both, in the user's runtime
    # directory or home: no instance opens one.
    sockets = [
        path
        for folder in (production_env["HOME"], production_env["XDG_RUNTIME_DIR"])
        for path in Path(folder).rglob("*")
        if path.is_socket() or path.suffix == ".ctl"
    ]
    assert sockets == []
    for server in (first, second):
        output = server.stop()
        assert server.process.returncode == 0, output
        assert "Control socket" not in output
