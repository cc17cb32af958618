"""Keyboard-only journeys (RGAA 4.1 theme 12, WCAG 2.1.1, 2.4.3, 2.4.7): search the directory
and open a service, walk the orientation guide to a result, leave with the quick exit, register
for a training session. Only `keyboard.press` and `keyboard.type` once the first page is open:
no click, no fill. At each Tab the focused element must show a visible focus indicator (an
outline or a box-shadow in its computed style) and come after the previous one in the document
(the focus order follows the reading order).
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from maillage.core.models import Role

from ..factories import CommuneFactory, UserFactory
from ..orientation.conftest import make_local_services, reference_data
from ..trainings.factories import ModuleFactory, SessionFactory
from .conftest import NEUTRAL_URL

FOCUSED = """(previous) => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    const after = previous ? Boolean(
        window.__lastFocused.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING
    ) : true;
    window.__lastFocused = el;
    const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
    return {
        tag: el.tagName.toLowerCase(),
        name: (el.getAttribute("aria-label") || label || el.innerText || el.value || "").trim(),
        id: el.id, type: el.type || "", checked: Boolean(el.checked),
        visible: Boolean(outline || shadow), after,
    };
}"""


def focus(page: Page, previous: bool = True) -> dict | None:
    return page.evaluate(FOCUSED, previous)


def tab_to(
    page: Page, matches: Callable[[dict], bool], *, limit: int = 60, key: str = "Tab"
) -> list[dict]:
    """Press Tab until the focused element matches; every step shows its focus, in order."""
    steps: list[dict] = []
    current = focus(page, previous=False)
    for _ in range(limit):
        page.keyboard.press(key)
        current = focus(page, previous=bool(steps) or current is not None)
        assert current is not None, f"the focus fell on the body after {steps}"
        steps.append(current)
        assert current["visible"], f"no visible focus on {current}"
        assert current["after"], f"the focus went back up the page: {steps[-2:]}"
        if matches(current):
            return steps
    raise AssertionError(f"not reached in {limit} Tab presses: {[s['name'] for s in steps]}")


def named(text: str) -> Callable[[dict], bool]:
    return lambda step: step["name"].startswith(text)


def test_the_first_tab_stops_are_the_skip_link_then_the_quick_exit(page, url):
    page.goto(url("/"))
    steps = tab_to(page, named("Quitter"), limit=3)
    assert [s["name"] for s in steps] == ["Aller au contenu", "Quitter le site"]


def test_quick_exit_with_tab_and_enter(page, url, live_server, neutral_requests):
    page.goto(url("/annuaire/"))
    tab_to(page, named("Quitter"), limit=3)
    page.keyboard.press("Enter")
    page.wait_for_url(NEUTRAL_URL)
    assert page.title() == "Météo"
    assert all("referer" not in headers for headers in neutral_requests)


def test_quick_exit_with_escape(page, url):
    page.goto(url("/orientation/"))
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL_URL)


def test_search_the_directory_and_open_a_service(page, url, demo, transactional_db):
    page.goto(url("/annuaire/"))

    # The skip link takes the keyboard past the banner and the menu, into the page.
    tab_to(page, named("Aller au contenu"), limit=1)
    page.keyboard.press("Enter")
    steps = tab_to(page, lambda s: s["id"] == "id_q")
    assert len(steps) <= 2, steps
    page.keyboard.type("écoute")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=" in page.url
    results = page.locator("main .result h3 a")
    assert results.count() >= 1, "no result for « écoute »"
    first = results.first.inner_text().strip()
    tab_to(page, named(first), limit=120)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("main h1").inner_text().strip() == first


def test_walk_the_orientation_guide_to_a_result(page, url, transactional_db, territory):
    reference_data()
    angers = CommuneFactory(insee_code="49007", name="Angers", postal_codes=["49000"])
    territory.communes.add(angers)
    make_local_services(territory, angers)
    from maillage.orientation.services import create_default_tree

    create_default_tree(territory)
    page.goto(url("/orientation/"))

    def choose(label: str, expect: str) -> None:
        """Tab into the radio group, arrow to the answer, Tab to Continuer, Enter."""
        steps = tab_to(page, lambda s: s["type"] == "radio")
        assert steps
        for _ in range(12):
            if focus(page, previous=False)["name"].startswith(label):
                break
            page.keyboard.press("ArrowDown")
        state = focus(page, previous=False)
        if not state["checked"]:
            page.keyboard.press("Space")
        assert focus(page, previous=False)["checked"], label
        tab_to(page, named("Continuer"))
        page.keyboard.press("Enter")
        page.get_by_role("heading", name=expect, exact=True).wait_for()
        # The focus moved to the new question: the next Tab starts from there.
        assert page.evaluate("document.activeElement.id") == "step-title"

    choose("Oui", "Y a-t-il un danger immédiat ?")
    choose("Non", "Un enfant ou un adolescent est-il concerné ?")
    choose("Non", "Vous êtes :")
    choose(
        "Une personne qui a été violente",
        "Se faire aider pour ne plus être violent",
    )
    # The result's numbers can be reached and dialled from the keyboard.
    steps = tab_to(page, lambda s: s["tag"] == "a" and "08 019 019 11" in s["name"])
    assert steps[-1]["visible"]


@pytest.fixture
def training_session(transactional_db, territory, organisation):
    module = ModuleFactory(
        territory=territory,
        title="Primo-accueil des victimes de violences sexistes et sexuelles",
        slug="primo-accueil",
        trainer_organisation=organisation,
    )
    return SessionFactory(module=module, capacity=12)


def test_register_for_a_training_session(page, url, training_session, other_organisation):
    from ..factories import TEST_PASSWORD

    user = UserFactory(email="pro.clavier@example.org")
    Role.objects.create(user=user, kind=Role.Kind.PROFESSIONAL, organisation=other_organisation)

    # Log in with the keyboard.
    page.goto(url("/compte/login/"))
    tab_to(page, lambda s: s["id"] == "id_login")
    page.keyboard.type(user.email)
    tab_to(page, lambda s: s["id"] == "id_password", limit=3)
    page.keyboard.type(TEST_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == url("/espace/")

    page.goto(url(training_session.get_absolute_url()))
    tab_to(page, named("M'inscrire"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, lambda s: s["tag"] == "input" and s["name"].startswith("Prénom"))
    page.keyboard.type("Paul")
    tab_to(page, lambda s: s["tag"] == "input" and s["name"].startswith("Nom"), limit=3)
    page.keyboard.type("Clavier")
    tab_to(page, lambda s: s["tag"] == "input" and s["name"].startswith("Fonction"), limit=6)
    page.keyboard.type("Juriste")
    tab_to(page, named("Confirmer mon inscription"), limit=12)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Vous êtes inscrit·e.").is_visible()
    registration = training_session.registrations.get()
    assert (registration.first_name, registration.last_name) == ("Paul", "Clavier")
