"""A material from draft to library in a real browser: the coordinator (with TOTP) creates a
poster, uploads its PDF for print, validates it after confirming, and finds it on /supports/
with its preview; an anonymous visitor then downloads the print file."""

import pytest
from playwright.sync_api import expect

from maillage.prevention.models import Material, MaterialVariant

from ..prevention.factories import CampaignFactory, pdf_bytes


@pytest.fixture
def campaign(transactional_db, territory, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return CampaignFactory(territory=territory, title="Témoins, agissez")


def test_a_coordinator_publishes_a_material(
    page, url, log_in, new_context, coordinator, campaign, tmp_path, outside_requests
):
    log_in(page, coordinator)
    page.goto(url("/espace/prevention/supports/"))
    assert page.get_by_text("0 support").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Nouveau support").click()
    page.get_by_label("Campagne").select_option(label=campaign.title)
    page.get_by_label("Type de support").select_option(label="Affiche")
    page.get_by_label("Titre").fill("Affiche des témoins")
    page.get_by_label("Public (obligatoire)").select_option(label="Témoins")
    page.get_by_label("Public (sinon réservé aux partenaires)").check()
    page.get_by_label("licence et conditions de réutilisation").fill("CC BY-ND 4.0")
    page.get_by_label("caractéristiques d'impression").fill("A3, 3 mm de fond perdu")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Le support « Affiche des témoins » est enregistré.").is_visible()
    material = Material.objects.get(title="Affiche des témoins")
    assert material.review_state == Material.ReviewState.DRAFT

    with page.expect_navigation():
        page.get_by_role("link", name="Ajouter un fichier").click()
    pdf = tmp_path / "affiche-impression.pdf"
    pdf.write_bytes(pdf_bytes())
    page.get_by_label("Usage du fichier").select_option(label="Impression (avec fond perdu)")
    page.get_by_label("Langue").select_option(label="Français")
    page.get_by_label("Fond perdu (mm)").fill("3")
    page.get_by_label("Fichier (obligatoire)", exact=True).set_input_files(str(pdf))
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le fichier").click()
    assert page.get_by_role("row", name="Impression (avec fond perdu) Français").is_visible()
    assert page.get_by_role("img", name="Aperçu de « Affiche des témoins »").is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Valider Affiche des témoins").click()
    assert page.get_by_text("apparaîtra dans la bibliothèque publique").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Valider le support").click()
    assert page.get_by_text("est maintenant « Validé »").is_visible()

    visitor = new_context().new_page()
    visitor.goto(url("/supports/"))
    card = visitor.locator("section.card", has_text="Affiche des témoins")
    # The preview is loading="lazy" with no height: it has a size only once loaded, which may
    # come after the load event; wait for it (Playwright's expect retries).
    expect(card.get_by_role("img", name="Aperçu de « Affiche des témoins »")).to_be_visible()
    with visitor.expect_navigation():
        card.get_by_role("link", name="Affiche des témoins").click()
    assert visitor.get_by_text("CC BY-ND 4.0").is_visible()
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Télécharger — Français").click()
    assert download.value.suggested_filename == "affiche-des-temoins-print-fr.pdf"
    assert visitor.context.cookies() == []
    assert MaterialVariant.objects.get().material == material
    assert outside_requests == []
