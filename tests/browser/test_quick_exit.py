"""The quick exit (DESIGN.md §3): a real link, Escape, Shift three times; with JavaScript the
page is replaced so that Back does not return to Maillage."""

import pytest

from .conftest import NEUTRAL_URL


@pytest.fixture
def on_maillage(page, url):
    """A visitor whose tab history is about:blank, then one Maillage page."""
    assert page.url == "about:blank"
    page.goto(url("/securite/"))
    page.locator("a[data-quick-exit]").wait_for()
    return page


def assert_left_for_good(page, live_server, neutral_requests):
    page.wait_for_url(NEUTRAL_URL)
    assert page.title() == "Météo"
    # Nothing tells the neutral site where the visitor came from.
    assert neutral_requests
    assert all("referer" not in headers for headers in neutral_requests)
    # location.replace: the Maillage page is gone from the history.
    page.go_back()
    assert not page.url.startswith(live_server.url), page.url
    assert page.url == "about:blank"


def test_escape_leaves_the_site(on_maillage, live_server, neutral_requests):
    on_maillage.keyboard.press("Escape")
    assert_left_for_good(on_maillage, live_server, neutral_requests)


def test_shift_three_times_leaves_the_site(on_maillage, live_server, neutral_requests):
    for _ in range(3):
        on_maillage.keyboard.press("Shift")
    assert_left_for_good(on_maillage, live_server, neutral_requests)


def test_button_leaves_the_site(on_maillage, live_server, neutral_requests):
    on_maillage.locator("a[data-quick-exit]").click()
    assert_left_for_good(on_maillage, live_server, neutral_requests)


def test_button_works_without_javascript(new_context, url, neutral_requests):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(url("/"))

    page.locator("a[data-quick-exit]").click()

    page.wait_for_url(NEUTRAL_URL)
    assert page.title() == "Météo"
    assert all("referer" not in headers for headers in neutral_requests)


def test_another_key_resets_the_shift_count(on_maillage, live_server):
    page = on_maillage
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == live_server.url + "/securite/"
    assert page.locator("[data-quick-exit-overlay]").is_hidden()

    # The count did restart after the other key: a third Shift now leaves.
    page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL_URL)


def test_only_the_current_page_is_replaced(page, url, live_server):
    """Like GOV.UK's button, the exit replaces the current page only: earlier Maillage pages
    stay in the history (the safety page tells visitors to clear it), and one restored by
    Back shows the page, not the blanking overlay."""
    page.goto(url("/"))
    page.goto(url("/securite/"))
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL_URL)

    page.go_back()

    assert page.url == url("/")
    assert page.locator("[data-quick-exit-overlay]").is_hidden()
    assert not page.evaluate("document.body.classList.contains('is-exiting')")
