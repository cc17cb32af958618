"""The coordinator edits a draft of the decision tree in a real browser, JavaScript off: adds a
question, links it into the path, walks it in the preview, sees an invalid tree refused with
the faulty node named, fixes it and publishes; the public guide then asks the new question."""

import pytest

from maillage.orientation.models import TreeVersion
from maillage.orientation.services import create_default_tree

from ..orientation.conftest import reference_data
from .test_accessibility import assert_accessible, axe_source  # noqa: F401 (a fixture)
from .test_orientation import answer

NEW_QUESTION = "Êtes-vous seule ce soir ?"
NOT_SAFE = "Revenez quand vous pourrez le faire sans risque"


@pytest.fixture
def published(transactional_db, territory):
    """The default tree, published for the territory."""
    reference_data()
    return create_default_tree(territory)


def click(page, role: str, name: str, *, expect: str) -> None:
    """Press a button or follow a link, and wait for the next page's heading."""
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).first.click()
    page.get_by_role("heading", name=expect, exact=True).wait_for()


def fill_answer(page, number: int, label: str, target: str) -> None:
    group = page.get_by_role("group", name=f"Réponse {number}", exact=True)
    group.get_by_label("Libellé de la réponse").fill(label)
    group.get_by_label("Étape suivante", exact=True).select_option(label=target)


def add_question(page, title: str, answers: list[tuple[str, str]]) -> None:
    click(page, "link", "Ajouter une question", expect="Nouvelle question")
    page.get_by_label("Question posée").fill(title)
    for number, (label, target) in enumerate(answers, start=1):
        fill_answer(page, number, label, target)
    click(page, "button", "Enregistrer", expect="Version 2 (Brouillon)")


def problems(page) -> str:
    return page.locator("main .alert--error").inner_text()


def test_the_coordinator_edits_previews_and_publishes_a_draft(
    new_context, url, log_in, coordinator, published
):
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, coordinator)
    page.goto(url("/espace/orientation/"))
    click(page, "button", "Préparer une nouvelle version", expect="Version 2 (Brouillon)")

    # A question whose two answers lead to an existing result: nothing leads to it yet.
    result = f"Résultat : {NOT_SAFE} (pas-en-securite)"
    add_question(page, NEW_QUESTION, [("Oui", result), ("Non", result)])
    assert page.get_by_text(f"La question « {NEW_QUESTION} »").is_visible()
    assert f"L'étape « {NEW_QUESTION} » (etes-vous-seule-ce-soir) ne peut pas être atteinte" in (
        problems(page)
    )

    # Linked from the first question's "Non", the tree is valid again.
    click(page, "link", "Modifier Pouvez-vous répondre sans risque en ce moment ?",
          expect="Modifier la question")  # fmt: skip
    group = page.get_by_role("group", name="Réponse 2", exact=True)
    assert group.get_by_label("Libellé de la réponse").input_value() == "Non, pas maintenant"
    group.get_by_label("Étape suivante", exact=True).select_option(
        label=f"Question : {NEW_QUESTION} (etes-vous-seule-ce-soir)"
    )
    click(page, "button", "Enregistrer", expect="Version 2 (Brouillon)")
    assert page.get_by_text("Le brouillon 2 est valide : il peut être publié.").is_visible()

    # The preview walks the draft as edited.
    click(page, "link", "Aperçu", expect="Pouvez-vous répondre sans risque en ce moment ?")
    assert page.get_by_text("Aperçu de la version 2 (Brouillon)").is_visible()
    answer(page, "Non, pas maintenant", expect=NEW_QUESTION)
    answer(page, "Oui", expect=NOT_SAFE)

    # An unreachable question: publishing is refused, naming it.
    page.goto(url("/espace/orientation/"))
    click(page, "link", "Modifier le brouillon 2", expect="Version 2 (Brouillon)")
    add_question(page, "Question orpheline", [("Oui", result)])
    click(page, "button", "Publier", expect="Version 2 (Brouillon)")
    refusal = page.get_by_role("status").inner_text()
    assert "Publication refusée" in refusal
    assert "L'étape « Question orpheline » (question-orpheline) ne peut pas être atteinte" in (
        refusal
    )
    assert TreeVersion.objects.get(number=2).status == TreeVersion.Status.DRAFT

    # Fixed from the problem's link: the question goes; then the draft is published.
    click(page, "link", "Corriger Question orpheline", expect="Modifier la question")
    assert page.get_by_text("Aucune étape n'y mène encore").is_visible()
    click(page, "link", "Supprimer cette question", expect="Supprimer « Question orpheline »")
    click(page, "button", "Supprimer", expect="Version 2 (Brouillon)")
    assert page.get_by_text("Le brouillon 2 est valide : il peut être publié.").is_visible()
    click(page, "button", "Publier", expect="Questionnaire d'orientation")
    assert page.get_by_text("La version 2 est publiée.").is_visible()
    assert TreeVersion.objects.get(number=2).status == TreeVersion.Status.PUBLISHED

    # Visitors now meet the new question.
    page.goto(url("/orientation/"))
    answer(page, "Non, pas maintenant", expect=NEW_QUESTION)


def test_deleting_a_node_others_lead_to_is_refused_naming_them(
    page, url, log_in, coordinator, published
):
    log_in(page, coordinator)
    page.goto(url("/espace/orientation/"))
    click(page, "button", "Préparer une nouvelle version", expect="Version 2 (Brouillon)")
    click(page, "link", f"Supprimer {NOT_SAFE}", expect=f"Supprimer « {NOT_SAFE} »")
    alert = page.get_by_role("alert").inner_text()
    assert "ne peut pas être supprimée : la réponse « Non, pas maintenant » de la question" in alert
    click(page, "button", "Délier et supprimer", expect="Version 2 (Brouillon)")
    assert "La réponse « Non, pas maintenant » de la question « Pouvez-vous répondre" in (
        problems(page)
    )


def test_the_editor_pages_are_accessible(
    page,
    url,
    log_in,
    coordinator,
    published,
    axe_source,  # noqa: F811
):
    log_in(page, coordinator)
    page.goto(url("/espace/orientation/"))
    click(page, "button", "Préparer une nouvelle version", expect="Version 2 (Brouillon)")
    assert_accessible(page, axe_source)
    click(page, "link", "Ajouter une question", expect="Nouvelle question")
    assert_accessible(page, axe_source)
    click(page, "button", "Enregistrer", expect="Nouvelle question")  # nothing filled in
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page, axe_source)
    page.goto(url("/espace/orientation/"))
    click(page, "link", "Modifier le brouillon 2", expect="Version 2 (Brouillon)")
    click(page, "link", "Modifier Les contacts pour vous", expect="Modifier le résultat")
    assert_accessible(page, axe_source)
    page.go_back()
    click(
        page,
        "link",
        "Supprimer Les contacts pour vous",
        expect="Supprimer « Les contacts pour vous »",
    )
    assert_accessible(page, axe_source)
