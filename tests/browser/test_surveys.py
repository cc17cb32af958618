"""Surveys of signatories in a real browser: a referent opens the personal link received by
email and answers for their organisation, without an account; the coordination builds a survey
from the impact template, opens it, and reads the results."""

import re

import pytest
from django.core import mail

from maillage.network.models import Invitation, Response, Survey

from ..network.survey_factories import InvitationFactory, build_survey
from .test_accessibility import AXE, assert_accessible


@pytest.fixture
def survey(transactional_db, contract):
    return build_survey(contract, open=True, title="Enquête d'impact 2025")


def test_a_referent_answers_through_the_personal_link(
    page, url, survey, organisation, outside_requests, context
):
    invitation = InvitationFactory(
        survey=survey, organisation=organisation, email="referente@example.org"
    )
    page.goto(url(invitation.get_absolute_url()))
    assert page.get_by_role("heading", name="Enquête d'impact 2025").is_visible()
    assert page.get_by_text("Vous répondez au nom de : Solidarité Femmes 49").is_visible()
    assert page.get_by_text(
        "N'écrivez aucune information permettant d'identifier une personne."
    ).is_visible()
    assert_accessible(page, AXE.read_text(encoding="utf-8"))

    # Sent without the required answers: a French error summary, nothing recorded.
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer la réponse de ma structure").click()
    assert page.get_by_text("rien n'a été enregistré").is_visible()
    assert not Response.objects.exists()

    impact = page.get_by_role("group", name=re.compile("impact positif"))
    impact.get_by_label("Tout à fait d'accord").check()
    page.get_by_role("group", name=re.compile("coordination")).get_by_label("4", exact=True).check()
    page.get_by_label("Formations").check()
    for row in ("l'accueil", "l'orientation"):
        page.get_by_role("group", name=row, exact=True).get_by_label("Satisfaisant").check()
    page.get_by_label(re.compile("Vos suggestions")).fill("Plus de sessions en soirée.")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer la réponse de ma structure").click()
    assert page.get_by_text("La réponse de votre structure est enregistrée").is_visible()
    response = Response.objects.get()
    assert response.organisation == organisation
    assert response.answers.get(question=survey.q["coordination"]).value == 4

    # The link again: refused, nothing more written.
    page.goto(url(invitation.get_absolute_url()))
    assert page.get_by_text("Solidarité Femmes 49 a déjà répondu à cette enquête").is_visible()
    assert Response.objects.count() == 1
    assert context.cookies() == []
    assert outside_requests == []


def test_the_coordination_builds_opens_and_reads_a_survey(
    page, url, log_in, coordinator, contract, signatures, referent, settings
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    log_in(page, coordinator)
    page.goto(url("/espace/enquetes/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Nouvelle enquête").click()
    page.get_by_label("Contrat").select_option(index=1)
    page.get_by_label("Titre").fill("Enquête d'impact 2026")
    page.get_by_label("Type").select_option(label="Enquête d'impact annuelle")
    page.get_by_label(re.compile("^Clôture")).fill("2099-12-31")
    page.get_by_label("Partir d'un modèle").select_option(label="Enquête d'impact annuelle")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("L'enquête est créée, en brouillon.").is_visible()
    assert page.get_by_text(
        "Le contrat a eu un impact positif sur la prévention", exact=True
    ).is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Ouvrir l'enquête et inviter les signataires").click()
    assert page.get_by_text("referente@example.org").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Ouvrir et envoyer les invitations").click()
    survey = Survey.objects.get(title="Enquête d'impact 2026")
    assert survey.status == Survey.Status.OPEN
    assert Invitation.objects.filter(survey=survey, email="referente@example.org").exists()
    assert any(m.to == ["referente@example.org"] for m in mail.outbox)
    with page.expect_navigation():
        page.get_by_role("link", name="Résultats").click()
    assert page.get_by_role("heading", name=re.compile("Résultats")).is_visible()
    assert page.locator("svg").count() >= 3
