"""The quick exit (DESIGN.md §3): a real link, Escape (outside form fields), Shift three times
(everywhere); with JavaScript the page is replaced so that Back does not return to Maillage."""

import pytest

from .conftest import NEUTRAL_URL


@pytest.fixture
def on_maillage(page, url):
    """A visitor whose tab history is about:blank, then one Maillage page."""
    assert page.url == "about:blank"
    page.goto(url("/securite/"))
    page.locator("a[data-quick-exit]").wait_for()
    return page


# Keys seen by a listener on the window, which the page's own keydown listeners (on the
# document) have all handled before: a key listed there is a key the quick exit has judged.
RECORD_KEYS = """
window.keysHandled = [];
if (!window.recordingKeys) {
  window.recordingKeys = true;
  window.addEventListener("keydown", (event) => window.keysHandled.push(event.key));
}
"""


def press_and_wait_until_handled(page, *keys: str) -> None:
    """Press the keys, then wait until the page has handled every one of them (a positive
    event, instead of waiting a while and hoping that nothing happened meanwhile)."""
    page.evaluate(RECORD_KEYS)
    for key in keys:
        page.keyboard.press(key)
    page.wait_for_function(f"window.keysHandled.length >= {len(keys)}")
    assert page.evaluate("window.keysHandled") == list(keys)


def assert_still_here(page, url_before: str) -> None:
    """Leaving blanks the page and calls location.replace in the key's own handler: once the
    key is handled, a page with no overlay, no exiting class and the same document stayed."""
    assert page.url == url_before
    assert page.locator("[data-quick-exit-overlay]").is_hidden()
    assert not page.evaluate("document.body.classList.contains('is-exiting')")
    assert page.evaluate("Array.isArray(window.keysHandled)")  # the same document


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
    press_and_wait_until_handled(page, "Shift", "Shift", "a", "Shift", "Shift")
    assert_still_here(page, live_server.url + "/securite/")

    # The count did restart after the other key: a third Shift now leaves.
    page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL_URL)


# Escape in a form: a professional typing in a workspace form must not lose their work.


@pytest.fixture
def typing_in_a_field(page, url):
    """A visitor typing in the directory's search field."""
    page.goto(url("/annuaire/"))
    field = page.locator("main input[name=q]")
    field.click()
    field.press_sequentially("écoute")
    return page, field


def test_escape_while_typing_in_a_field_keeps_the_page_and_the_text(typing_in_a_field, url):
    page, field = typing_in_a_field
    press_and_wait_until_handled(page, "Escape")
    assert_still_here(page, url("/annuaire/"))
    assert field.input_value() == "écoute"
    assert page.evaluate("document.activeElement.name") == "q"


def test_escape_outside_the_fields_leaves(typing_in_a_field, live_server, neutral_requests):
    page, _field = typing_in_a_field
    page.locator("main h1").click()  # out of the field
    assert page.evaluate("document.activeElement.tagName") not in ("INPUT", "TEXTAREA")
    page.keyboard.press("Escape")
    assert_left_for_good(page, live_server, neutral_requests)


def test_shift_three_times_in_a_field_leaves(typing_in_a_field, live_server, neutral_requests):
    page, field = typing_in_a_field
    for _ in range(3):
        field.press("Shift")
    assert_left_for_good(page, live_server, neutral_requests)


def test_escape_in_a_textarea_and_in_an_open_autocomplete_stays(page, url):
    """A textarea, and a combobox whose list is open (Escape closes the list): the page
    stays. The combobox is added by the test, as a widget of a form would be."""
    page.goto(url("/annuaire/"))
    page.evaluate(
        """() => {
        const main = document.querySelector("main");
        main.insertAdjacentHTML("beforeend",
          '<textarea id="notes" aria-label="Notes"></textarea>' +
          '<div role="combobox" aria-expanded="true" tabindex="0" id="box">Angers</div>');
    }"""
    )
    page.locator("#notes").fill("Une note en cours")
    press_and_wait_until_handled(page, "Escape")
    assert_still_here(page, url("/annuaire/"))
    assert page.locator("#notes").input_value() == "Une note en cours"

    page.locator("#box").focus()
    press_and_wait_until_handled(page, "Escape")
    assert_still_here(page, url("/annuaire/"))


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
