"""Situations of the catalogue (tests/orientation/situations.yaml) walked in Chromium on the
Angers demo, as the person in front of a victim would answer the guide: the composed result
shows the right numbers first, the right local contacts, the dated steps and a professional's
duties; one walk without JavaScript."""

import pytest

from .test_orientation import shown_numbers

GUIDE = "/orientation/"
QUI = "Vous êtes :"
PERSONNE = "La personne qui subit les violences est :"
VIOLENCES = "Qu'avez-vous vécu, ou que vit la personne ?"
BESOINS = "De quoi avez-vous besoin ?"
COMMUNE = "Dans quelle commune cherchez-vous de l'aide ?"
CONDITIONS = "Qu'est-ce qui compte pour vous ?"
FINAL = "Les contacts pour vous"
START = [(("Oui",), "Y a-t-il un danger immédiat ?")]
NO_DANGER = [*START, (("Non",), "Un enfant ou un adolescent est-il concerné ?"), (("Non",), QUI)]
VICTIM_WOMAN = [
    *NO_DANGER,
    (("La personne qui subit des violences",), PERSONNE),
    (("Une femme",), VIOLENCES),
]
COUPLE = "Des violences dans le couple ou la famille"
SEXUAL = "Des violences sexuelles (viol, agression sexuelle)"
RECENT = "Ces violences sexuelles ont-elles eu lieu ces derniers jours ?"
AFTER_ASSAULT = "Après une agression sexuelle récente : soins et preuves"
PROFESSIONAL = "Un ou une professionnelle qui accompagne quelqu'un"


@pytest.fixture
def demo_site(demo, transactional_db):
    return demo


def answer(page, labels, expect: str) -> None:
    for label in labels:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name=expect, exact=True).wait_for()


def walk(page, url, steps, *, commune: str = "Angers", needs=()) -> None:
    page.goto(url(GUIDE))
    for labels, expect in steps:
        answer(page, labels, expect)
    if page.get_by_role("heading", name=BESOINS, exact=True).count() == 0:
        return
    answer(page, needs, COMMUNE)
    page.get_by_label("Commune ou code postal").fill(commune)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name=CONDITIONS, exact=True).wait_for()
    answer(page, (), FINAL)


def contacts(page) -> str:
    return " ".join(page.locator("[data-service]").all_inner_texts())


def test_s01_danger_now_calls_first(page, url, demo_site):
    walk(
        page,
        url,
        [
            *START,
            (("Oui",), "Appelez les secours maintenant"),
            ((), "Un enfant ou un adolescent est-il concerné ?"),
            (("Non",), QUI),
            (("La personne qui subit des violences",), PERSONNE),
            (("Une femme",), VIOLENCES),
            ((COUPLE,), BESOINS),
        ],
    )
    numbers = shown_numbers(page)
    assert numbers[0] == "17" and "112" in numbers
    assert numbers.index("3919") > numbers.index("112")


def test_s02_information_without_pressure(page, url, demo_site):
    walk(page, url, [*VICTIM_WOMAN, ((COUPLE,), BESOINS)], commune="Avrillé")
    assert "3919" in shown_numbers(page)
    found = contacts(page)
    assert "Solidarité Femmes 49" in found or "Accueil de jour et écoute" in found
    assert "auteurs" not in found.lower()
    assert page.locator("[data-step='keep-messages']").count() == 1


def test_s04_recent_rape_keeps_the_deadlines(page, url, demo_site):
    walk(
        page,
        url,
        [
            *VICTIM_WOMAN,
            ((SEXUAL, "Pendant les études"), RECENT),
            (("Oui, ces derniers jours",), AFTER_ASSAULT),
            ((), BESOINS),
        ],
    )
    for step in ("hiv-pep", "emergency-contraception", "preserve-evidence"):
        assert page.locator(f"[data-step='{step}']").is_visible(), step
    assert "Université d'Angers" in contacts(page)
    assert "3018" not in shown_numbers(page)


def test_s05_a_teacher_sees_her_duties_without_an_account(page, url, demo_site):
    walk(
        page,
        url,
        [
            *NO_DANGER,
            ((PROFESSIONAL,), "Dans quel cadre exercez-vous ?"),
            (("Éducation, enseignement, animation",), PERSONNE),
            (("Une fille, une adolescente (moins de 18 ans)",), VIOLENCES),
            ((SEXUAL,), RECENT),
            (("Non, c'est plus ancien, ou c'était dans l'enfance",), BESOINS),
        ],
    )
    assert page.locator("[data-duty='art-40-cpp']").is_visible()
    assert page.locator("[data-duty='report-prosecutor']").is_visible()
    numbers = shown_numbers(page)
    assert "119" in numbers and "3919" not in numbers


def test_s07_an_elderly_mother(page, url, demo_site):
    walk(
        page,
        url,
        [
            *NO_DANGER,
            (("Un proche ou un témoin",), PERSONNE),
            (("Une personne âgée",), VIOLENCES),
            (("La maltraitance d'une personne âgée",), BESOINS),
        ],
        commune="Beaucouzé",
    )
    numbers = shown_numbers(page)
    assert "3977" in numbers and "119" not in numbers
    assert page.locator("[data-duty='art-434-3-cp']").is_visible()


def test_s15_followed_in_the_street(page, url, demo_site):
    walk(page, url, [*VICTIM_WOMAN, (("Dans la rue, les transports ou une soirée",), BESOINS)])
    numbers = shown_numbers(page)
    assert "pnav" in numbers and numbers[0] != "3919"


def test_s17_an_author_is_oriented_to_perpetrator_programmes(page, url, demo_site):
    walk(
        page,
        url,
        [
            *NO_DANGER,
            (
                ("Une personne qui a été violente ou qui a peur de le devenir",),
                "Se faire aider pour ne plus être violent",
            ),
        ],
    )
    numbers = shown_numbers(page)
    assert numbers[0] == "auteurs" and "3919" not in numbers and "115" not in numbers
    assert "Médiations 49" in contacts(page) or "auteurs" in contacts(page).lower()
    assert "Solidarité Femmes" not in contacts(page)


def test_s11_a_man_without_javascript(new_context, url, demo_site):
    page = new_context(java_script_enabled=False).new_page()
    walk(
        page,
        url,
        [
            *NO_DANGER,
            (("La personne qui subit des violences",), PERSONNE),
            (("Un homme",), VIOLENCES),
            ((COUPLE,), BESOINS),
        ],
        commune="Saint-Léger-de-Linières",
    )
    numbers = shown_numbers(page)
    assert numbers[0] == "116006" and "3919" not in numbers
    assert "France Victimes 49" in contacts(page)
    assert "Solidarité Femmes" not in contacts(page)
