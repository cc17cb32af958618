"""The orientation guide in a real browser: the right numbers first, with and without
JavaScript, no trace (no row written, no cookie, no answer in any URL), accessible screens."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from maillage.orientation.services import create_default_tree

from ..factories import CommuneFactory
from ..orientation.conftest import make_local_services, reference_data, row_counts
from .test_accessibility import AXE, assert_accessible

GUIDE = "/orientation/"


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert Path(AXE).exists()
    return Path(AXE).read_text(encoding="utf-8")


@pytest.fixture
def guide(transactional_db, territory):
    """The default tree published, and a small directory in Angers."""
    reference_data()
    angers = CommuneFactory(insee_code="49007", name="Angers", postal_codes=["49000"])
    territory.communes.add(angers)
    services = make_local_services(territory, angers)
    return {"tree": create_default_tree(territory), "services": services}


@pytest.fixture
def traces(page):
    """Every URL the page requested or navigated to, and its errors (CSP refusals included)."""
    found = {"urls": [], "problems": []}
    page.on("request", lambda request: found["urls"].append(request.url))
    page.on("framenavigated", lambda frame: found["urls"].append(frame.url))
    page.on("console", lambda m: m.type == "error" and found["problems"].append(m.text))
    page.on("pageerror", lambda error: found["problems"].append(str(error)))
    return found


def heading(page) -> str:
    return page.locator("main h1").inner_text()


def answer(page, *labels: str, expect: str) -> None:
    """Tick the answers, press "Continuer", wait for the next screen's heading."""
    for label in labels:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name=expect, exact=True).wait_for()


def shown_numbers(page) -> list[str]:
    return page.locator("[data-number]").evaluate_all("els => els.map(e => e.dataset.number)")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_immediate_danger_shows_17_112_and_114_first(page, url, guide, traces):
    page.goto(url(GUIDE))
    answer(page, "Oui", expect="Y a-t-il un danger immédiat ?")
    assert focused_id(page) == "step-title"  # the focus moved to the new question
    answer(page, "Oui", expect="Appelez les secours maintenant")
    assert shown_numbers(page)[:3] == ["17", "112", "114"]
    first = page.locator("[data-number]").first
    assert first.locator("a").get_attribute("href") == "tel:17"
    assert page.locator("[data-number='114'] a").get_attribute("href") == "sms:114"
    # The quick exit and the banner stay on every screen.
    assert page.locator("a[data-quick-exit]").count() == 1
    assert page.locator("aside.emergency").count() == 1
    # After the emergency, the walk goes on.
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Un enfant ou un adolescent est-il concerné ?").wait_for()
    assert traces["problems"] == []


def test_a_minor_involved_shows_119(page, url, guide):
    page.goto(url(GUIDE))
    answer(page, "Oui", expect="Y a-t-il un danger immédiat ?")
    answer(page, "Non", expect="Un enfant ou un adolescent est-il concerné ?")
    answer(page, "Oui", expect="Le 119 aide les enfants et ceux qui s'inquiètent pour eux")
    assert shown_numbers(page)[0] == "119"
    assert page.locator("[data-number='119'] a").get_attribute("href") == "tel:119"


def test_an_author_is_oriented_to_perpetrator_programmes(page, url, guide):
    page.goto(url(GUIDE))
    answer(page, "Oui", expect="Y a-t-il un danger immédiat ?")
    answer(page, "Non", expect="Un enfant ou un adolescent est-il concerné ?")
    answer(page, "Non", expect="Vous êtes :")
    answer(
        page,
        "Une personne qui a été violente ou qui a peur de le devenir",
        expect="Se faire aider pour ne plus être violent",
    )
    assert shown_numbers(page)[0] == "auteurs"
    assert page.locator("[data-number='auteurs']").inner_text().startswith("08 019 019 11")
    services = page.locator("[data-service] h3").all_inner_texts()
    assert services == ["Centre de prise en charge des auteurs"]
    assert page.get_by_role("button", name="Continuer").count() == 0


def walk_everything(page) -> None:
    """The longest path: an error, a back, every kind of question, to the final result."""
    page.get_by_role("button", name="Continuer").click()  # nothing chosen
    page.get_by_role("alert").wait_for()
    answer(page, "Oui", expect="Y a-t-il un danger immédiat ?")
    answer(page, "Non", expect="Un enfant ou un adolescent est-il concerné ?")
    page.get_by_role("button", name="Retour").click()
    page.get_by_role("heading", name="Y a-t-il un danger immédiat ?").wait_for()
    assert page.get_by_label("Non", exact=True).is_checked()  # the answer is kept to change
    answer(page, "Non", expect="Un enfant ou un adolescent est-il concerné ?")
    answer(page, "Non", expect="Vous êtes :")
    answer(page, "La personne qui subit des violences",
           expect="La personne qui subit les violences est :")  # fmt: skip
    answer(page, "Une femme", expect="Qu'avez-vous vécu, ou que vit la personne ?")
    answer(
        page,
        "Des violences dans le couple ou la famille",
        "Des violences sexuelles (viol, agression sexuelle)",
        expect="Ces violences sexuelles ont-elles eu lieu ces derniers jours ?",
    )
    answer(page, "Oui, ces derniers jours",
           expect="Après une agression sexuelle récente : soins et preuves")  # fmt: skip
    answer(page, expect="De quoi avez-vous besoin ?")
    answer(page, "Être à l'abri ce soir", "Parler à quelqu'un",
           expect="Dans quelle commune cherchez-vous de l'aide ?")  # fmt: skip
    page.get_by_label("Commune ou code postal").fill("Atlantide")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_text("Commune inconnue").first.wait_for()
    page.get_by_label("Commune ou code postal").fill("Angers")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Qu'est-ce qui compte pour vous ?").wait_for()
    answer(page, "Que ce soit gratuit", expect="Les contacts pour vous")


def assert_no_trace(traces, context, *, origin: str) -> None:
    assert context.cookies() == []
    assert traces["urls"], "no request was recorded"
    for address in traces["urls"]:
        parts = urlsplit(address)
        assert parts.query == "" and parts.fragment == "", address
        if address.startswith(origin) and not parts.path.startswith("/static/"):
            assert parts.path == GUIDE, address
        for secret in ("Angers", "Atlantide", "securite", "abri", "victime", "oui"):
            assert secret not in address, address


def test_the_whole_path_works_without_javascript_and_leaves_no_trace(
    new_context, url, guide, live_server
):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    traces = {"urls": []}
    page.on("request", lambda request: traces["urls"].append(request.url))
    page.on("framenavigated", lambda frame: traces["urls"].append(frame.url))
    before = row_counts()

    page.goto(url(GUIDE))
    walk_everything(page)

    assert shown_numbers(page)[:2] == ["115", "3919"]  # a place tonight first
    services = page.locator("[data-service] h3").all_inner_texts()
    assert "Hébergement d'urgence 49" in services
    assert page.get_by_text("Des contacts près de Angers").is_visible()
    assert page.locator("[data-print]").is_hidden()  # the print button needs JavaScript
    assert row_counts() == before
    assert_no_trace(traces, context, origin=live_server.url)


def test_with_javascript_the_steps_run_in_the_page_and_leave_no_trace(
    page, context, url, guide, traces, live_server
):
    before = row_counts()
    page.goto(url(GUIDE))
    history = page.evaluate("history.length")
    walk_everything(page)

    assert page.evaluate("history.length") == history  # no navigation, no pushState
    navigations = [u for u in traces["urls"] if u.startswith(url(GUIDE))]
    assert navigations  # the first page and the fetched screens, all at the same address
    assert shown_numbers(page)[:2] == ["115", "3919"]  # a place tonight first
    assert page.locator("[data-print]").is_visible()
    assert focused_id(page) == "step-title"
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert row_counts() == before
    assert_no_trace(traces, context, origin=live_server.url)
    assert traces["problems"] == []


def test_an_error_is_announced_and_receives_the_focus(page, url, guide):
    page.goto(url(GUIDE))
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("alert").wait_for()
    assert focused_id(page) == "form-errors"
    assert page.get_by_role("group", name="Étape 1 Pouvez-vous répondre sans risque en ce moment ?")


def test_the_guide_screens_are_accessible(page, url, guide, axe_source):
    page.goto(url(GUIDE))
    assert_accessible(page, axe_source)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("alert").wait_for()
    assert_accessible(page, axe_source)  # the error
    answer(page, "Oui", expect="Y a-t-il un danger immédiat ?")
    answer(page, "Oui", expect="Appelez les secours maintenant")
    assert_accessible(page, axe_source)  # an emergency result
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Un enfant ou un adolescent est-il concerné ?").wait_for()
    answer(page, "Non", expect="Vous êtes :")
    answer(page, "La personne qui subit des violences",
           expect="La personne qui subit les violences est :")  # fmt: skip
    answer(page, "Une femme", expect="Qu'avez-vous vécu, ou que vit la personne ?")
    assert_accessible(page, axe_source)  # a multiple choice
    answer(page, "Du harcèlement sexuel ou moral", expect="De quoi avez-vous besoin ?")
    answer(page, "Parler à quelqu'un", expect="Dans quelle commune cherchez-vous de l'aide ?")
    assert_accessible(page, axe_source)  # the commune
    page.get_by_label("Commune ou code postal").fill("Atlantide")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_text("Commune inconnue").first.wait_for()
    assert_accessible(page, axe_source)  # its error
    page.get_by_label("Commune ou code postal").fill("49000")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Qu'est-ce qui compte pour vous ?").wait_for()
    answer(page, expect="Les contacts pour vous")
    assert_accessible(page, axe_source)  # the final result with its services


def test_the_professional_screens_are_accessible(
    page, url, guide, axe_source, log_in, professional
):
    log_in(page, professional)
    page.goto(url(GUIDE))
    assert page.get_by_role("heading", name="Repères pour les professionnels").is_visible()
    assert_accessible(page, axe_source)
    page.get_by_text("Ce que permet le secret professionnel").click()
    assert_accessible(page, axe_source)


def test_the_coordination_pages_are_accessible(page, url, guide, axe_source, log_in, coordinator):
    log_in(page, coordinator)
    page.goto(url("/espace/orientation/"))
    assert page.get_by_role("heading", name="Questionnaire d'orientation").is_visible()
    assert_accessible(page, axe_source)
    page.get_by_role("button", name="Préparer une nouvelle version").click()
    page.get_by_text("Le brouillon 2 est valide").wait_for()
    assert_accessible(page, axe_source)
    page.get_by_role("link", name="Aperçu").first.click()
    page.get_by_text("Aperçu de la version 2 (Brouillon)").wait_for()
    answer(page, "Oui", expect="Y a-t-il un danger immédiat ?")
    assert "/apercu/" in page.url
    assert_accessible(page, axe_source)
