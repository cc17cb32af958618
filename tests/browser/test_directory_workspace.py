"""The directory workspace in a real browser: moderation of a referent's change, error
reports from the public page, and the coordination's freshness list."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.directory.feedback import ChangeRequest, ErrorReport
from maillage.directory.models import Service

from ..directory.factories import ServiceFactory

OLD_SUMMARY = "Accueil et écoute des femmes victimes de violences."
NEW_SUMMARY = "Accueil, écoute et accompagnement juridique des femmes."


@pytest.fixture
def service(transactional_db, organisation):
    return ServiceFactory(
        organisation=organisation,
        name="Accueil de jour",
        summary=OLD_SUMMARY,
        terms__help=["ecoute"],
        last_verified_on=timezone.localdate(),
    )


def propose_new_summary(page, url, log_in, referent, service) -> None:
    """The referent sends a new summary to the coordination through the edit form."""
    log_in(page, referent)
    page.goto(url(f"/espace/annuaire/services/{service.pk}/modifier/"))
    assert page.get_by_role("note").filter(has_text="relues par la coordination").is_visible()
    page.get_by_label("Résumé").fill(NEW_SUMMARY)
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer à la coordination").click()
    assert page.get_by_text("Votre modification est envoyée à la coordination").is_visible()


def open_pending_request(page, url, log_in, coordinator, service):
    log_in(page, coordinator)
    page.goto(url("/espace/annuaire/demandes/"))
    assert page.get_by_text("1 demande en attente").is_visible()
    page.get_by_role("link", name=service.name).click()
    assert page.get_by_role("heading", name=f"Modification de « {service.name} »").is_visible()


def test_referent_change_waits_for_the_coordinator_then_is_published(
    page, url, log_in, new_context, referent, coordinator, service, outside_requests
):
    propose_new_summary(page, url, log_in, referent, service)

    page.goto(url(f"/espace/annuaire/services/{service.pk}/modifier/"))
    assert page.get_by_text("Une modification de ce service attend déjà la validation").is_visible()
    public = new_context().new_page()
    public.goto(url(service.get_absolute_url()))
    assert public.locator("p.lead").inner_text() == OLD_SUMMARY

    coordination = new_context().new_page()
    open_pending_request(coordination, url, log_in, coordinator, service)
    row = coordination.locator("tr", has=coordination.get_by_role("rowheader", name="Résumé"))
    assert row.locator("td").nth(0).inner_text() == OLD_SUMMARY
    assert row.locator("td").nth(1).inner_text() == NEW_SUMMARY
    with coordination.expect_navigation():
        coordination.get_by_role("button", name="Accepter et publier").click()
    assert coordination.get_by_text("La modification est acceptée et publiée.").is_visible()
    assert coordination.get_by_text("Aucune modification en attente.").is_visible()

    public.reload()
    assert public.locator("p.lead").inner_text() == NEW_SUMMARY
    assert outside_requests == []


def test_coordinator_rejects_a_change_with_a_comment(
    page, url, log_in, new_context, referent, coordinator, service
):
    propose_new_summary(page, url, log_in, referent, service)

    coordination = new_context().new_page()
    open_pending_request(coordination, url, log_in, coordinator, service)
    # A refusal without a reason is refused.
    with coordination.expect_navigation():
        coordination.get_by_role("button", name="Refuser").click()
    assert coordination.get_by_text("Dites à l'auteur pourquoi").first.is_visible()
    coordination.get_by_label("Commentaire pour l'auteur").fill(
        "Le résumé doit rester court : gardons l'ancien."
    )
    with coordination.expect_navigation():
        coordination.get_by_role("button", name="Refuser").click()
    assert coordination.get_by_text("La modification est refusée").is_visible()

    change = ChangeRequest.objects.get()
    assert change.status == ChangeRequest.Status.REJECTED
    assert change.comment == "Le résumé doit rester court : gardons l'ancien."
    assert Service.objects.get(pk=service.pk).summary == OLD_SUMMARY
    page.goto(url(service.get_absolute_url()))
    assert page.locator("p.lead").inner_text() == OLD_SUMMARY


def test_anonymous_visitor_reports_an_error_and_the_coordinator_closes_it(
    page, context, url, log_in, new_context, coordinator, service, outside_requests
):
    page.goto(url(service.get_absolute_url()))
    page.get_by_role("link", name="Signaler une erreur").click()
    assert page.get_by_role("heading", name="Signaler une erreur").is_visible()
    page.get_by_label("Les horaires").check()
    page.get_by_label("Précisions (facultatif)").fill("Fermé le lundi matin désormais.")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le signalement").click()
    assert page.get_by_role("heading", name="Merci, votre signalement est envoyé").is_visible()
    assert context.cookies() == []
    assert outside_requests == []

    coordination = new_context().new_page()
    log_in(coordination, coordinator)
    coordination.goto(url("/espace/annuaire/signalements/"))
    assert coordination.get_by_text("1 signalement à traiter").is_visible()
    row = coordination.locator("tbody tr", has_text=service.name)
    assert row.get_by_text("Les horaires").is_visible()
    assert row.get_by_text("Fermé le lundi matin désormais.").is_visible()
    with coordination.expect_navigation():
        row.get_by_role("button", name="Marquer traité").click()
    assert coordination.get_by_text("Le signalement est marqué comme traité.").is_visible()
    assert coordination.get_by_text("Aucun signalement à traiter.").is_visible()
    assert ErrorReport.objects.get().status == ErrorReport.Status.CLOSED


def test_freshness_lists_a_stale_service_until_it_is_marked_verified(
    page, url, log_in, coordinator, organisation, service
):
    stale = ServiceFactory(
        organisation=organisation,
        name="Permanence juridique",
        last_verified_on=timezone.localdate() - timedelta(days=213),
    )
    log_in(page, coordinator)
    page.goto(url("/espace/annuaire/fraicheur/"))
    assert page.get_by_role("heading", name="1 service à vérifier").is_visible()
    table = page.get_by_role("table")
    assert table.get_by_role("rowheader", name="Permanence juridique").is_visible()
    assert "Accueil de jour" not in table.inner_text()  # verified today: fresh

    with page.expect_navigation():
        page.get_by_role("button", name="Marquer vérifié : Permanence juridique").click()
    assert page.get_by_text("« Permanence juridique » est marqué comme vérifié").is_visible()
    assert page.get_by_role("heading", name=re.compile(r"^0 services? à vérifier$")).is_visible()
    assert page.get_by_text("Tous les services publiés ont été vérifiés").is_visible()
    stale.refresh_from_db()
    assert stale.last_verified_on == timezone.localdate()
