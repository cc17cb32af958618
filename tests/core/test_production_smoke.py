"""Production smoke test: Maillage started as the README's *Production* section says, in
subprocesses (`maillage migrate`, `collectstatic`, the demo data, then `maillage serve`: gunicorn
with two workers, WhiteNoise's manifest storage and the `db_worker` beside them), with DEBUG off
and the production settings (`maillage.settings`, not the test settings), then one page of every
kind, every PDF endpoint and the background builds, each PDF read back with pdftotext.

The other tests run the application inside the test process with the test settings, and none
of them saw every on-demand PDF answer 500 under the production static storage. This one runs it
as a deployment does: real SMTP (aiosmtpd, the `smtp_server` fixture), a database of its own
(SQLite in a temporary folder, or a PostgreSQL database created and dropped here when the
session runs on PostgreSQL), the real clock. The server's output is printed when it fails.

Select it with `pytest -m smoke`.
"""

from __future__ import annotations

import contextlib
import html
import http.cookiejar
import io
import json
import os
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pyotp
import pytest

from maillage.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

from ..clock import real_now
from ..conftest import free_port
from ..walks import SHELTER_IN_ANGERS

pytestmark = pytest.mark.smoke

MAILLAGE = Path(sys.executable).with_name("maillage")
COORDINATOR = "coordination@demo.maillage.fr"
TERRITORY = "angers-loire-metropole"
ANGERS = "49007"  # a commune of the demo's territory
SECURITY_CONTACT = "mailto:securite@example.org"
STEP_TIMEOUT = 300  # seconds for one management command, on a loaded machine
READY_TIMEOUT = 120  # for `maillage serve` to answer /healthz?ready
BACKGROUND_TIMEOUT = 120  # for the worker's builds and emails
REQUEST_TIMEOUT = 60

# Variables of this process that the production processes must not see: what the test settings
# put in the environment or rely on (tests/settings.py, tests/clock.py, pytest-xdist), and what
# would point the instance at something shared (the test database, a Redis of the tests).
NOT_PASSED_ON = {
    "DEBUG",
    "DEMO_MODE",
    "DATABASE_URL",
    "REDIS_URL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "MEDIA_STORAGE_BACKEND",
    "MEDIA_STORAGE_OPTIONS",
    "DEFAULT_TERRITORY",
    "QUICK_EXIT_URL",
    "MAP_TILE_URL",
    "SECURITY_CONTACT",
    "BIND",
    "WEB_CONCURRENCY",
    "MAILLAGE_WARM_UP",
    "MAILLAGE_CLOCK_SHIFT_DAYS",
}


# -- the instance --------------------------------------------------------------------------------


@pytest.fixture
def instance_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The instance's database: on SQLite a file in its own folder (MAILLAGE_VAR_DIR, set by
    the test); when the session runs on PostgreSQL, a database of its own on the same server,
    created here and dropped at the end whatever happens."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield {}
        return
    import psycopg
    from django.conf import settings
    from psycopg import sql

    test_database = settings.DATABASES["default"]
    server = {
        "host": test_database.get("HOST") or None,
        "port": test_database.get("PORT") or None,
        "user": test_database.get("USER") or None,
        "password": test_database.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    name = f"maillage_smoke_{secrets.token_hex(6)}"
    with psycopg.connect(**server) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {"DATABASE_URL": urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()}
    finally:
        with psycopg.connect(**server) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


class Instance:
    """One Maillage instance: its environment, its management commands, its server."""

    def __init__(self, folder: Path, *, smtp_port: int, database: dict[str, str]) -> None:
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / "serve.log"
        self.server: subprocess.Popen | None = None
        self.env = {
            **{
                name: value
                for name, value in os.environ.items()
                if name not in NOT_PASSED_ON and not name.startswith("PYTEST_")
            },
            "DJANGO_SETTINGS_MODULE": "maillage.settings",  # production's, not the tests'
            "SECRET_KEY": "smoke-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback: no reverse proxy terminates HTTPS in front of it here, so
            # the redirection to https:// is off (everything else of DEBUG off stays, secure
            # cookies included).
            "SECURE_SSL_REDIRECT": "0",
            "SITE_URL": self.base,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "MAILLAGE_VAR_DIR": str(folder / "var"),
            "SECURITY_CONTACT": SECURITY_CONTACT,
            **database,
        }

    @property
    def sqlite_file(self) -> Path:
        return self.folder / "var" / "maillage.sqlite3"

    def command(self, *arguments: str) -> list[str]:
        return [str(MAILLAGE), *arguments]

    def run(self, *arguments: str) -> str:
        """Run a management command to its end; its output in the failure message."""
        done = subprocess.run(
            self.command(*arguments),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"maillage {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def run_together(self, *commands: list[str]) -> None:
        """Independent commands (the migrations, the static files) at the same time."""
        running = [
            (
                arguments,
                subprocess.Popen(
                    self.command(*arguments),
                    env=self.env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                ),
            )
            for arguments in commands
        ]
        failures = []
        for arguments, process in running:
            try:
                output, _ = process.communicate(timeout=STEP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                output, _ = process.communicate()
            if process.returncode != 0:
                failures.append(f"maillage {' '.join(arguments)} failed:\n{output}")
        if failures:
            pytest.fail("\n".join(failures))

    def serve(self) -> None:
        """`maillage serve` in a process group of its own (gunicorn, its workers, db_worker),
        its output in a file."""
        with self.log.open("w") as output:
            self.server = subprocess.Popen(
                self.command("serve", "--bind", f"127.0.0.1:{self.port}"),
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_ready(self) -> None:
        """`/healthz?ready` answers 200 once a worker's search index is built (503 before)."""
        deadline = time.monotonic() + READY_TIMEOUT
        last = "no answer"
        while time.monotonic() < deadline:
            if self.server is not None and self.server.poll() is not None:
                pytest.fail(f"maillage serve stopped (exit code {self.server.returncode})")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz?ready", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as error:
                last = f"{error.code} {error.read()!r}"
                error.close()
            except OSError as error:  # not listening yet
                last = repr(error)
            time.sleep(0.3)
        pytest.fail(f"maillage serve not ready after {READY_TIMEOUT} s: {last}")

    def stop(self) -> None:
        """Stop the whole process group (SIGTERM, then SIGKILL), whatever state it is in."""
        if self.server is None:
            return
        group = self.server.pid  # start_new_session: the group's id is the leader's pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.server.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)  # anything of the group still there
        self.server.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def query(self, statement: str, *parameters: object) -> list[tuple]:
        """Read the instance's own database (SQLite file, or its PostgreSQL database)."""
        url = self.env.get("DATABASE_URL", "")
        if url:
            import psycopg

            with psycopg.connect(url) as connection:
                return connection.execute(statement.replace("?", "%s"), parameters).fetchall()
        connection = sqlite3.connect(f"file:{self.sqlite_file}?mode=ro", uri=True)
        try:
            return connection.execute(statement, parameters).fetchall()
        finally:
            connection.close()


# -- a browser, as far as the smoke test needs one -----------------------------------------------


class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """Secure cookies sent back to http://127.0.0.1, as browsers do for loopback (a
    "potentially trustworthy" origin): production sets every cookie Secure."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request) -> bool:
        return True


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None  # the test reads each redirection itself


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    @property
    def type(self) -> str:
        return self.headers.get_content_type()

    @property
    def text(self) -> str:
        return self.body.decode()

    def links(self, pattern: str) -> list[str]:
        """The site's own links (href and action) matching `pattern`, in page order."""
        found = [
            html.unescape(link) for link in re.findall(r'(?:href|action)="(/[^"]*)"', self.text)
        ]
        return list(dict.fromkeys(link for link in found if re.search(pattern, link)))

    def hidden_fields(self) -> dict[str, str]:
        return {
            html.unescape(name): html.unescape(value)
            for name, value in re.findall(
                r'<input type="hidden" name="([^"]+)" value="([^"]*)"', self.text
            )
        }


class Browser:
    def __init__(self, base: str, *, cookies: bool = True) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar(LoopbackCookies())
        handlers: list = [NoRedirects()]
        if cookies:
            handlers.append(urllib.request.HTTPCookieProcessor(self.cookies))
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, path: str, data: list[tuple[str, str]] | dict | None = None) -> Answer:
        body = None
        headers = {"Accept-Language": "fr"}
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Origin"] = self.base  # as a browser posts a form
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=REQUEST_TIMEOUT)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            return Answer(response.status, response.headers, response.read())

    def get(self, path: str) -> Answer:
        return self.request(path)

    def post(self, path: str, data: list[tuple[str, str]] | dict) -> Answer:
        return self.request(path, data)


def page(browser: Browser, path: str, *, status: int = 200, kind: str = "text/html") -> Answer:
    answer = browser.get(path)
    assert (answer.status, answer.type) == (status, kind), f"{path}: {answer.status} {answer.type}"
    return answer


def pdf_text(content: bytes) -> str:
    """The PDF's text as pdftotext reads it, whitespace collapsed."""
    assert content.startswith(b"%PDF-"), content[:200]
    done = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    )
    return " ".join(done.stdout.decode().split())


def pdf(browser: Browser, path: str, *phrases: str, data: list | None = None) -> str:
    """Fetch a PDF (200, application/pdf), read it back, check its phrases; its text."""
    answer = browser.request(path, data)
    assert (answer.status, answer.type) == (200, "application/pdf"), (
        f"{path}: {answer.status} {answer.type}\n{answer.body[:2000]!r}"
    )
    text = pdf_text(answer.body)
    assert_phrases(path, text, phrases)
    return text


def assert_phrases(what: str, text: str, phrases: tuple[str, ...]) -> None:
    """Each phrase in the text, whatever its case (headings may be printed in capitals)."""
    for phrase in phrases:
        assert phrase.casefold() in text.casefold(), f"{what}: {phrase!r} not in {text[:3000]!r}"


def wait_for_pdf(browser: Browser, path: str, *phrases: str) -> None:
    """A guide built by the worker: "being prepared" (503, Retry-After) until its PDF comes."""
    deadline = time.monotonic() + BACKGROUND_TIMEOUT
    while True:
        answer = browser.get(path)
        if answer.status != 503:
            break
        assert answer.headers["Retry-After"], path
        assert "Le guide est en préparation" in answer.text
        if time.monotonic() > deadline:
            pytest.fail(f"{path}: still being prepared after {BACKGROUND_TIMEOUT} s")
        time.sleep(0.5)
    pdf(browser, path, *phrases)


def wait_for_message(inbox, address: str) -> Message:
    deadline = time.monotonic() + BACKGROUND_TIMEOUT
    while time.monotonic() < deadline:
        for message in list(inbox.messages):
            if address in message.get("X-RcptTo", "") + message.get("To", ""):
                return message
        time.sleep(0.3)
    pytest.fail(f"no email to {address} after {BACKGROUND_TIMEOUT} s")


def log_in(browser: Browser, email: str, *, totp_secret: str) -> Answer:
    """Through the real login form (CSRF token and cookie), then the second factor with a code
    of the real clock (the server's: this process's clock may be moved by time-machine)."""
    form = page(browser, "/compte/login/")
    token = form.hidden_fields()["csrfmiddlewaretoken"]
    answer = browser.post(
        "/compte/login/",
        {"csrfmiddlewaretoken": token, "login": email, "password": DEMO_PASSWORD},
    )
    assert answer.status == 302, answer.text
    step_path = answer.headers["Location"]
    assert step_path.startswith("/compte/2fa/authenticate/"), step_path
    step = page(browser, step_path)
    code = pyotp.TOTP(totp_secret).at(real_now())
    answer = browser.post(
        step_path,
        {"csrfmiddlewaretoken": step.hidden_fields()["csrfmiddlewaretoken"], "code": code},
    )
    assert (answer.status, answer.headers["Location"]) == (302, "/espace/"), answer.text
    return page(browser, "/espace/")


# -- the test ------------------------------------------------------------------------------------


def test_production_serves_every_kind_of_page_and_every_pdf(
    tmp_path, smtp_server, instance_database
):
    _controller, inbox = smtp_server
    instance = Instance(tmp_path, smtp_port=_controller.port, database=instance_database)
    started = time.monotonic()

    def timing(step: str) -> None:  # printed with the server's output when the test fails
        print(f"{time.monotonic() - started:6.1f} s  {step}")

    instance.run_together(["migrate", "--noinput"], ["collectstatic", "--noinput"])
    timing("migrate, collectstatic")
    # The demo refuses to load without DEBUG or DEMO_MODE unless forced.
    assert "Données de démonstration chargées" in instance.run("demo-data", "--force")
    timing("demo-data")
    try:
        instance.serve()
        instance.wait_until_ready()
        timing("maillage serve ready")
        visit(instance, inbox)
        timing("visited")
    finally:
        instance.stop()
        # Shown by pytest when the test fails (captured otherwise).
        print(f"--- maillage serve ({instance.base}) ---\n{instance.output()}")
    assert "Traceback" not in instance.output()


def visit(instance: Instance, inbox) -> None:
    visitor = Browser(instance.base, cookies=False)
    coordinator = Browser(instance.base)

    # Background builds first (they run in db_worker while the rest is visited): a commune's
    # guide, never built yet, is handed to the worker and "being prepared" meanwhile.
    commune_guide = f"/guide/{TERRITORY}/{ANGERS}.pdf"
    preparing = visitor.get(commune_guide)
    assert (preparing.status, preparing.type) == (503, "text/html"), preparing.status
    assert preparing.headers["Retry-After"]
    visitor.get("/guide.pdf")  # the territory's guide: queued too, if not built yet

    # The coordinator logs in (password, then TOTP) and registers someone for a session: the
    # confirmation, with its convocation PDF, is rendered and sent by the worker.
    workspace = log_in(coordinator, COORDINATOR, totp_secret=DEMO_TOTP_SECRET)
    assert "Camille" in workspace.text
    trainee = f"smoke-{secrets.token_hex(4)}@example.org"
    register_someone(coordinator, trainee)

    # Public pages, one of every kind, as an anonymous visitor (no cookie).
    home = page(visitor, "/")
    assert "Set-Cookie" not in home.headers
    english = page(visitor, "/en/")
    assert 'lang="en"' in english.text
    search = page(visitor, "/annuaire/?q=ecoute")
    service_path = search.links(r"^/annuaire/services/[0-9a-f-]{36}/$")[0]
    service = page(visitor, service_path)
    service_name = html.unescape(re.search(r"<h1[^>]*>([^<]+)</h1>", service.text).group(1))
    page(visitor, "/orientation/")
    orientation_answers = walk_orientation(visitor)
    page(visitor, "/formations/")
    page(visitor, "/agenda/")
    contract_path = home.links(rf"^/territoires/{TERRITORY}/contrats/\d+/$")[0]
    page(visitor, contract_path)
    api = page(visitor, "/api/v1/hsds/services", kind="application/json")
    assert json.loads(api.body)["items"]
    login_page = page(visitor, "/compte/login/")
    assert 'name="password"' in login_page.text
    # A hashed static file of the home page, served by WhiteNoise, cached for good.
    stylesheet = home.links(r"^/static/css/maillage\.[0-9a-f]{12}\.css$")[0]
    css = page(visitor, stylesheet, kind="text/css")
    assert "max-age=315360000" in css.headers["Cache-Control"]
    assert "immutable" in css.headers["Cache-Control"]
    robots = page(visitor, "/robots.txt", kind="text/plain")
    assert "Disallow: /espace/" in robots.text
    security = page(visitor, "/.well-known/security.txt", kind="text/plain")
    assert f"Contact: {SECURITY_CONTACT}" in security.text
    missing = page(visitor, "/cette-page-n-existe-pas/", status=404)
    assert "Page introuvable" in missing.text
    assert 'lang="fr"' in missing.text

    # Public PDFs, built on demand.
    pdf(visitor, "/orientation/resume.pdf", "Contacts utiles", "3919", data=orientation_answers)
    pdf(visitor, service.links(r"^/annuaire/[0-9a-f-]{36}/fiche\.pdf$")[0], service_name)
    printed_search = search.links(r"^/annuaire/imprimer/\?")[0]
    pdf(visitor, printed_search, "Contacts")

    # The coordinator's PDFs: the reflex sheet, the contract's review and its COPIL pack.
    pdf(coordinator, f"/orientation/fiche-reflexe/{ANGERS}.pdf", "Angers")
    evaluation = page(coordinator, "/espace/evaluation/")
    review_path = evaluation.links(r"^/espace/evaluation/contrats/\d+/bilan/$")[0]
    review = page(coordinator, review_path)
    pdf(coordinator, review.links(r"/bilan\.pdf$")[0], "Bilan")
    pack = coordinator.get(review.links(r"/bilan/copil\.zip$")[0])
    assert (pack.status, pack.type) == (200, "application/zip")
    with zipfile.ZipFile(io.BytesIO(pack.body)) as archive:
        pdf_names = [name for name in archive.namelist() if name.endswith(".pdf")]
        assert pdf_names, archive.namelist()
        assert_phrases(pdf_names[0], pdf_text(archive.read(pdf_names[0])), ("Bilan",))

    # A past session: its attendance sheet and a certificate, in the workspace and by the
    # registration's personal link.
    past = page(coordinator, "/espace/formations/sessions/?period=passees")
    session_path = past.links(r"^/espace/formations/sessions/\d+/$")[0]
    attendance = page(coordinator, f"{session_path}presences/")
    pdf(coordinator, attendance.links(r"/emargement\.pdf$")[0], "émargement")
    certificates = attendance.links(r"^/espace/formations/inscriptions/\d+/attestation\.pdf$")
    certificate_path = certificates[0]
    pdf(coordinator, certificate_path, "Attestation de formation")
    registration_id = int(re.search(r"/inscriptions/(\d+)/", certificate_path).group(1))
    [(token,)] = instance.query(
        "SELECT access_token FROM trainings_registration WHERE id = ?", registration_id
    )
    pdf(visitor, f"/formations/inscription/{token}/attestation.pdf", "Attestation de formation")

    # The worker's work: the guides, then the registration's confirmation and its PDF.
    wait_for_pdf(visitor, commune_guide, "Angers")
    wait_for_pdf(visitor, "/guide.pdf", "Angers")
    wait_for_pdf(visitor, f"/guide/{TERRITORY}.pdf", "Angers")
    message = wait_for_message(inbox, trainee)
    attachments = {
        part.get_filename(): part.get_payload(decode=True)
        for part in message.walk()
        if part.get_content_type() == "application/pdf"
    }
    assert attachments, message.as_string()[:3000]
    [(name, content)] = attachments.items()
    assert name.startswith("convocation-"), name
    assert_phrases(name, pdf_text(content), ("Convocation à une formation", "Alix Essai"))


def walk_orientation(visitor: Browser) -> list[tuple[str, str]]:
    """POST the guide's screens as a visitor answers them; the answers of the result screen."""
    answers: list[tuple[str, str]] = []
    screen = None
    for step, values in SHELTER_IN_ANGERS:
        data = [*answers, ("action", "next"), ("step", step)] + [("answer", v) for v in values]
        screen = visitor.post("/orientation/", data)
        assert (screen.status, screen.type) == (200, "text/html"), step
        answers = [
            (html.unescape(name), html.unescape(value))
            for name, value in re.findall(
                r'<input type="hidden" name="(a-[^"]+)" value="([^"]*)">', screen.text
            )
        ]
    assert screen is not None and "Les contacts pour vous" in screen.text
    return answers


def register_someone(coordinator: Browser, email: str) -> None:
    """Register one person of a structure for the first upcoming session, through the
    workspace's form ("inscrire mon équipe")."""
    trainings = page(coordinator, "/espace/formations/")
    form_path = trainings.links(r"^/espace/formations/sessions/\d+/inscrire-mon-equipe/$")[0]
    form = page(coordinator, form_path)
    organisation = re.search(
        r'<select name="organisation"[^>]*>.*?<option value="(\d+)"', form.text, re.S
    ).group(1)
    data = {
        **form.hidden_fields(),
        "site": "",
        "organisation": organisation,
        "commune": "",
        "personne-0-first_name": "Alix",
        "personne-0-last_name": "Essai",
        "personne-0-email": email,
        "personne-0-function": "Infirmière",
    }
    answer = coordinator.post(form_path, data)
    assert answer.status == 302, answer.text
    assert answer.headers["Location"] == "/espace/formations/"
