"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every request a page makes is routed: the live server's go through, the neutral site of the
quick exit gets a stub page, anything else is recorded and aborted (a public page must make
no third-party request, see DESIGN.md §3).
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from ..conftest import totp_code
from ..factories import TEST_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 10_000
# A page load may wait for the live server's first request (URLconf, templates, search index:
# seconds on a loaded 2-core machine); the other steps keep the short timeout.
NAVIGATION_TIMEOUT_MS = 60_000
NEUTRAL_URL = settings.QUICK_EXIT_URL
NEUTRAL_HOST = urlsplit(NEUTRAL_URL).hostname
NEUTRAL_PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Météo</title></head>'
    "<body><h1>Météo</h1><p>Ensoleillé, 21 °C.</p></body></html>"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test of this folder drives the browser: mark them all `browser`."""
    folder = Path(__file__).parent
    for item in items:
        if folder in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all the browser tests, closed when they are done.

    Playwright's sync API keeps an event loop running in the test thread, and Django's ORM
    refuses to run there unless DJANGO_ALLOW_ASYNC_UNSAFE is set (it is safe: one thread,
    one test at a time). The variable is set only while the browser runs: set for the whole
    session, it would reach `manage.py check --deploy` run by other tests (async.E001).
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(apt-get install chromium).",
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def outside_requests() -> list[str]:
    """URLs the pages tried to fetch from any host but the live server and the neutral site."""
    return []


@pytest.fixture
def neutral_requests() -> list[dict[str, str]]:
    """Headers of each request made to the neutral site (to check no Referer leaks)."""
    return []


@pytest.fixture
def new_context(
    browser, live_server, transactional_db, outside_requests, neutral_requests
) -> Iterator[Callable[..., BrowserContext]]:
    """Open a fresh, routed browser context (French locale); options go to new_context()."""
    # TOTP codes already used and rate-limit counters live in the cache: start each test clean.
    cache.clear()
    contexts: list[BrowserContext] = []

    def route(route: Route) -> None:
        request = route.request
        if request.url.startswith(live_server.url + "/"):
            route.continue_()
        elif urlsplit(request.url).hostname == NEUTRAL_HOST:
            neutral_requests.append(request.headers)
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=NEUTRAL_PAGE)
        else:
            outside_requests.append(request.url)
            route.abort()

    def _new_context(**options) -> BrowserContext:
        context = browser.new_context(locale="fr-FR", **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        context.route("**/*", route)
        contexts.append(context)
        return context

    yield _new_context
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context) -> Page:
    """A blank tab (its history starts on about:blank) in a fresh context."""
    return context.new_page()


@pytest.fixture
def url(live_server) -> Callable[[str], str]:
    """Absolute live-server URL of a path: url("/securite/")."""
    return lambda path: live_server.url + path


@pytest.fixture
def log_in(live_server) -> Callable[..., None]:
    """Log a user in through the real form, typing the TOTP code when the code page asks."""

    def _log_in(page: Page, user, password: str = TEST_PASSWORD) -> None:
        page.goto(live_server.url + "/compte/login/")
        form = page.locator("main form", has=page.locator("input[name=login]"))
        form.locator("input[name=login]").fill(user.email)
        form.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            form.get_by_role("button", name="Connexion").click()
        if urlsplit(page.url).path == "/compte/2fa/authenticate/":
            code_form = page.locator("main form", has=page.locator("input[name=code]"))
            code_form.locator("input[name=code]").fill(totp_code())
            with page.expect_navigation():
                code_form.get_by_role("button", name="Connexion").click()

    return _log_in
