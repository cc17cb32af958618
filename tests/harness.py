"""What the whole session shares, imported by tests/conftest.py: the static files collected as
in production, the clock (tests/clock.py), the committed database states (tests/dbstate.py)
with the Angers demo loaded once, and an empty cache for every test."""

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine

from . import clock, dbstate

XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


# Static files, as `maillage collectstatic` leaves them for `maillage serve`.


def _static_fingerprint() -> str:
    """What the collected files depend on: every source file's path, size and time."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda found: found[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static_files() -> None:
    """`collectstatic` into the test STATIC_ROOT, again only when a source file changed."""
    from django.conf import settings
    from django.core.management import call_command

    stamp = Path(settings.STATIC_ROOT) / ".sources-fingerprint"
    fingerprint = _static_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    call_command("collectstatic", interactive=False, clear=True, verbosity=0)
    stamp.write_text(fingerprint)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    clock.start_session_clock()
    if not XDIST_WORKER:  # the controller (or a run without workers) collects, once
        collect_static_files()


def _through(application):
    return application


@pytest.fixture(scope="session")
def live_server(django_db_setup, request):
    """pytest-django's live server, started once the test database exists (started before, it
    would not share the in-memory SQLite database's connection), with the static
    files served by the application itself (WhiteNoise, from the collected files, as in
    production): pytest-django's own static handler serves the sources through the finders,
    which know none of the manifest's hashed names."""
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or "localhost"
    server = LiveServer(address, start=False)
    server.thread.static_handler = _through
    server.start()
    yield server
    server.stop()


# The database states and the demo.


def reseed_data_migrations() -> None:
    """Write again the rows of the data migrations (banner numbers, taxonomy, national numbers)
    with the migrations' own functions and historical models (no signal fires, as in
    `migrate`)."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from maillage.directory.taxonomy import load_taxonomy
    from maillage.orientation.default_tree import load_national_numbers

    state = MigrationExecutor(connection).loader.project_state().apps
    importlib.import_module("maillage.core.migrations.0002_emergency_numbers").add_numbers(
        state, None
    )
    load_taxonomy(state.get_model("directory", "Term"))
    load_national_numbers(state.get_model("orientation", "NationalNumber"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb):
    """The test database as the migrations leave it, saved as the "clean" state. A kept database
    (--reuse-db) may hold what an interrupted session committed: emptied and seeded again."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        if django_db_keepdb:
            call_command("flush", interactive=False, verbosity=0)
            reseed_data_migrations()
        dbstate.STATE.save(dbstate.CLEAN)
    yield
    with django_db_blocker.unblock():
        dbstate.forget_snapshots()


@dataclass(frozen=True)
class Demo:
    """The Angers demo as `maillage demo-data` loaded it (its output lists the logins)."""

    output: str
    today = clock.DEMO_TODAY


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker) -> Demo:
    from django.core.management import call_command

    output = io.StringIO()
    with django_db_blocker.unblock():
        dbstate.STATE.ensure(dbstate.CLEAN)
        with clock.demo_clock():
            call_command("demo-data", force=True, stdout=output)
        dbstate.STATE.save(dbstate.DEMO)
    return Demo(output=output.getvalue())


@pytest.fixture
def demo(demo_snapshot) -> Demo:
    """The Angers demo in the database, the clock on its day (tests/clock.py). Loaded once per
    session; put back before each test that asks for it."""
    return demo_snapshot


def _blocker(config: pytest.Config):
    from pytest_django.plugin import blocking_manager_key

    return config.stash[blocking_manager_key]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the test's fixtures: the clock, the committed database state, an empty cache."""
    wants_demo = "demo" in getattr(item, "fixturenames", ())
    if wants_demo:
        traveller = time_machine.travel(clock.DEMO_NOW, tick=True)
        traveller.start()
        item.stash[_TRAVELLER] = traveller
    if dbstate.STATE.current is None:
        return
    from django.core.cache import cache

    with _blocker(item.config).unblock():
        if dbstate.uses_database(item):
            dbstate.STATE.ensure(dbstate.DEMO if wants_demo else dbstate.CLEAN)
        # Rate-limit counters, used TOTP codes, cached pages: nothing carries over.
        cache.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    try:
        return (yield)
    finally:
        traveller = item.stash.get(_TRAVELLER, None)
        if traveller is not None:
            traveller.stop()
        if dbstate.is_transactional(item) and dbstate.STATE.current is not None:
            dbstate.STATE.current = dbstate.DIRTY  # flushed, or rows committed


_TRAVELLER = pytest.StashKey[time_machine.travel]()


# Markers given by where a test lives and what it uses (pyproject.toml declares them):
# - engine_independent: the browser tests, the live server's, the tests without a database,
#   the URL walkers below.
#   CI runs them once, on SQLite; on PostgreSQL, `-m "not engine_independent"`.
# - clock: the tests of what depends on the date (sessions, reminders, events, surveys,
#   freshness, opening hours, review periods, demo figures...). CI runs them again with the
#   clock moved (MAILLAGE_CLOCK_SHIFT_DAYS=400 and -200, `-m clock`).
DATE_SENSITIVE = (
    "tests/trainings/",
    "tests/network/",
    "tests/prevention/",
    "tests/evaluation/",
    "tests/directory/test_freshness.py",
    "tests/directory/test_opening_exceptions.py",
    "tests/directory/test_index.py",
    "tests/directory/test_search.py",
    "tests/directory/test_moderation.py",
    "tests/core/test_accounts.py",
    "tests/core/test_demo_data.py",
    "tests/core/test_membership.py",
    "tests/orientation/test_printed_guide.py",
    "tests/security/test_auth_hardening.py",
    "tests/security/test_audit.py",
)


def _path(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


# Tests that walk every URL of the URLconf as each role (permissions, templates, what each
# role may read): the views' queries are the same on both engines, and each module's own tests
# run them on PostgreSQL.
URL_WALKERS = (
    "tests/security/test_access_matrix.py",
    "tests/security/test_head_requests.py",
    "tests/security/test_canary.py",
    "tests/security/test_second_factor_session.py",
)


def is_engine_independent(item: pytest.Item) -> bool:
    if item.get_closest_marker("smoke"):  # runs the application on the session's engine
        return False
    return (
        _path(item).startswith(("tests/browser/", *URL_WALKERS))
        or "live_server" in getattr(item, "fixturenames", ())
        or not dbstate.uses_database(item)
    )


LONGEST_MODULES = (
    "tests/browser/test_accessibility_everywhere_coordination.py",
    "tests/browser/test_accessibility_everywhere.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The markers above; the longest modules first; then the tests of the demo last, together:
    the demo is put back once, not at every other test (the order within each group is kept)."""
    for item in items:
        if is_engine_independent(item):
            item.add_marker(pytest.mark.engine_independent)
        # The demo's tests run on the demo's day whatever the shift: not again.
        uses_demo = "demo" in getattr(item, "fixturenames", ())
        if _path(item).startswith(DATE_SENSITIVE) and not uses_demo:
            item.add_marker(pytest.mark.clock)
    # The two halves of the accessibility crawl are the longest modules by far (minutes each):
    # first in the queue, so that pytest-xdist starts one on each worker and spreads the rest
    # around them, instead of leaving one worker alone with a crawl at the end.
    items.sort(
        key=lambda item: (
            not _path(item).startswith(LONGEST_MODULES),
            "demo" in getattr(item, "fixturenames", ()),
        )
    )
