"""The coordination's pages for campaigns and materials: permissions (another territory's
coordinator gets 404), forms and their French errors, filters and exports, review states with
confirmation, restocks, files per purpose and language, the low-stock banner."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from maillage.prevention.models import Campaign, Material, MaterialVariant

from ..factories import OrganisationFactory, PriorityFactory
from .factories import (
    CampaignFactory,
    MaterialFactory,
    MaterialVariantFactory,
    jpeg_with_exif,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db
RS = Material.ReviewState
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def draft(campaign):
    return MaterialFactory(
        campaign=campaign, title="Affiche témoin", draft=True, licence="CC BY-ND 4.0"
    )


# Permissions


@pytest.mark.parametrize("name", ["campaign_list", "campaign_add", "material_list", "material_add"])
def test_lists_and_forms_are_for_the_coordination(login, referent, name):
    assert login(referent).get(reverse(f"prevention:{name}")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("prevention:material_list"))
    assert response.status_code == 302 and "/compte/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "arg"),
    [
        ("material_manage", "material"),
        ("material_edit", "material"),
        ("material_stock", "material"),
        ("variant_add", "material"),
        ("campaign_edit", "campaign"),
        ("variant_delete", "variant"),
    ],
)
def test_another_territorys_coordinator_gets_404(login, other_coordinator, draft, media, name, arg):
    variant = MaterialVariantFactory(material=draft)
    obj = {"material": draft, "campaign": draft.campaign, "variant": variant}[arg]
    client = login(other_coordinator)
    assert client.get(reverse(f"prevention:{name}", args=[obj.pk])).status_code == 404
    assert client.post(reverse(f"prevention:{name}", args=[obj.pk])).status_code == 404
    transition = reverse("prevention:material_transition", args=[draft.pk, "validated"])
    assert client.post(transition).status_code == 404
    assert MaterialVariant.objects.filter(pk=variant.pk).exists()


def test_another_territorys_materials_are_not_listed(login, other_coordinator, draft):
    html = login(other_coordinator).get(reverse("prevention:material_list")).content.decode()
    assert "Affiche témoin" not in html and "0 support" in html


# Campaigns


def test_a_coordinator_creates_a_campaign(login, coordinator, territory, organisation, contract):
    priority = PriorityFactory(contract=contract, code="PRÉVENIR")
    foreign_priority = PriorityFactory()
    client = login(coordinator)
    form = client.get(reverse("prevention:campaign_add")).content.decode()
    assert 'type="checkbox" name="audiences" value="witnesses"' in form
    assert foreign_priority.title not in form
    response = client.post(
        reverse("prevention:campaign_add"),
        {
            "territory": territory.pk,
            "title": "Témoins, agissez",
            "starts_on": "2025-03-01",
            "ends_on": "2025-06-30",
            "audiences": ["witnesses", "general_public"],
            "priority": priority.pk,
            "partners": [organisation.pk],
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="Témoins, agissez")
    assert campaign.audiences == ["witnesses", "general_public"]
    assert list(campaign.partners.all()) == [organisation]
    assert campaign.priority == priority
    assert campaign.history.exists()


def test_a_campaign_ends_after_it_starts_and_keeps_to_its_territory(
    login, coordinator, territory, foreign_organisation
):
    response = login(coordinator).post(
        reverse("prevention:campaign_add"),
        {
            "territory": territory.pk,
            "title": "À l'envers",
            "starts_on": "2025-06-01",
            "ends_on": "2025-03-01",
            "partners": [foreign_organisation.pk],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "La fin de la campagne doit suivre son début." in html
    assert "Sélectionnez un choix valide" in html  # the foreign organisation is not offered
    assert not Campaign.objects.filter(title="À l'envers").exists()


def test_the_campaign_list_searches_and_paginates(login, coordinator, territory):
    CampaignFactory.create_batch(26, territory=territory)
    CampaignFactory(territory=territory, title="Nuits festives")
    client = login(coordinator)
    html = client.get(reverse("prevention:campaign_list")).content.decode()
    assert "27 campagnes" in html and "Page 1 sur 2" in html
    html = client.get(reverse("prevention:campaign_list"), {"q": "festives"}).content.decode()
    assert "1 campagne" in html and "Nuits festives" in html


# Materials: create, edit, list


def test_a_coordinator_creates_a_draft_material_with_its_main_file(
    login, coordinator, campaign, media
):
    response = login(coordinator).post(
        reverse("prevention:material_add"),
        {
            "campaign": campaign.pk,
            "kind": "poster",
            "title": "Affiche des témoins",
            "audience": "witnesses",
            "licence": "Réutilisable avec le logo du contrat",
            "print_specs": "A3, 3 mm de fond perdu",
            "legal_mentions": "Ne pas jeter sur la voie publique",
            "partner_logo_slot": "on",
            "partner_logo_note": "En bas à droite, 3 cm",
            "stock": "200",
            "stock_alert_threshold": "50",
            "file": SimpleUploadedFile("affiche.pdf", pdf_bytes()),
        },
    )
    material = Material.objects.get(title="Affiche des témoins")
    assert response.status_code == 302
    assert response["Location"] == reverse("prevention:material_manage", args=[material.pk])
    assert material.review_state == RS.DRAFT
    assert (material.stock, material.stock_alert_threshold) == (200, 50)
    assert material.content_type == "application/pdf" and material.file
    assert material.preview  # drawn from the PDF


def test_a_refused_main_file_creates_nothing(login, coordinator, campaign, media):
    response = login(coordinator).post(
        reverse("prevention:material_add"),
        {
            "campaign": campaign.pk,
            "kind": "poster",
            "title": "Affiche piégée",
            "audience": "witnesses",
            "stock": "0",
            "stock_alert_threshold": "0",
            "file": SimpleUploadedFile("affiche.png", HTML),
        },
    )
    assert response.status_code == 200
    assert "quelle que soit son extension" in response.content.decode()
    assert not Material.objects.filter(title="Affiche piégée").exists()


def test_editing_a_material_leaves_the_stock_to_restocks(login, coordinator, guide):
    client = login(coordinator)
    form = client.get(reverse("prevention:material_edit", args=[guide.pk])).content.decode()
    assert 'name="stock"' not in form
    response = client.post(
        reverse("prevention:material_edit", args=[guide.pk]),
        {
            "campaign": guide.campaign_id,
            "kind": "guide",
            "title": "Guide 2025",
            "audience": "professionals",
            "stock": "999999",
            "stock_alert_threshold": "100",
        },
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert (guide.title, guide.stock, guide.stock_alert_threshold) == ("Guide 2025", 500, 100)


def test_a_logo_note_needs_the_logo_slot(login, coordinator, guide):
    response = login(coordinator).post(
        reverse("prevention:material_edit", args=[guide.pk]),
        {
            "campaign": guide.campaign_id,
            "kind": "guide",
            "title": guide.title,
            "audience": "professionals",
            "stock_alert_threshold": "0",
            "partner_logo_note": "En bas",
        },
    )
    assert "Cochez l&#x27;emplacement pour le logo" in response.content.decode()


def test_the_material_list_filters_and_sorts(login, coordinator, campaign, territory):
    other = CampaignFactory(territory=territory, title="Autre campagne")
    MaterialFactory(campaign=campaign, title="Affiche A", kind="poster", stock=10)
    MaterialFactory(campaign=campaign, title="Brouillon B", kind="leaflet", draft=True, stock=5)
    MaterialFactory(
        campaign=other, title="Guide C", kind="guide", stock=20, stock_alert_threshold=30
    )
    client = login(coordinator)
    url = reverse("prevention:material_list")

    def titles(**params) -> list[str]:
        page = client.get(url, params).context["page_obj"]
        return [m.title for m in page]

    assert titles() == ["Affiche A", "Brouillon B", "Guide C"]
    assert titles(campaign=other.pk) == ["Guide C"]
    assert titles(kind="leaflet") == ["Brouillon B"]
    assert titles(state="draft") == ["Brouillon B"]
    assert titles(low_stock="on") == ["Guide C"]
    assert titles(sort="stock") == ["Brouillon B", "Affiche A", "Guide C"]
    assert titles(q="guide") == ["Guide C"]


def test_the_material_list_is_exported_safely(login, coordinator, campaign):
    MaterialFactory(campaign=campaign, title='=HYPERLINK("http://x")', licence="+33 libre")
    client = login(coordinator)
    response = client.get(reverse("prevention:material_list"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Titre", "Campagne", "Type"]
    assert rows[1][0] == '\'=HYPERLINK("http://x")' and rows[1][9] == "'+33 libre"
    response = client.get(reverse("prevention:material_list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["G2"].value == 1000


def test_the_material_list_does_not_query_per_row(
    login, coordinator, campaign, django_assert_max_num_queries
):
    for _ in range(20):
        MaterialFactory(campaign=campaign, stock_alert_threshold=2000)
    client = login(coordinator)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("prevention:material_list"))
    assert response.context["page_obj"].paginator.count == 20


# Low-stock banner


def test_the_orders_and_materials_pages_show_the_low_stock_banner(login, coordinator, guide):
    guide.stock_alert_threshold = 500
    guide.save()
    client = login(coordinator)
    for url in (reverse("prevention:orders"), reverse("prevention:material_list")):
        html = client.get(url).content.decode()
        assert "Stock bas" in html
        assert "500 en stock (seuil : 500)" in html
    guide.stock_alert_threshold = 499
    guide.save()
    assert "Stock bas" not in client.get(reverse("prevention:orders")).content.decode()


def test_a_referent_does_not_see_the_banner(login, referent, guide):
    guide.stock_alert_threshold = 500
    guide.save()
    assert "Stock bas" not in login(referent).get(reverse("prevention:orders")).content.decode()


# Review states


def test_validating_asks_for_confirmation_then_validates(login, coordinator, draft, media):
    MaterialVariantFactory(material=draft)
    client = login(coordinator)
    url = reverse("prevention:material_transition", args=[draft.pk, "validated"])
    page = client.get(url).content.decode()
    assert "Valider le support" in page and "apparaîtra dans la bibliothèque publique" in page
    draft.refresh_from_db()
    assert draft.review_state == RS.DRAFT  # a GET changes nothing
    response = client.post(url, follow=True)
    assert "est maintenant « Validé »" in response.content.decode()
    draft.refresh_from_db()
    assert draft.review_state == RS.VALIDATED


def test_validation_refused_says_what_is_missing(login, coordinator, draft):
    client = login(coordinator)
    url = reverse("prevention:material_transition", args=[draft.pk, "validated"])
    assert "Déposez au moins un fichier" in client.get(url).content.decode()
    html = client.post(url, follow=True).content.decode()
    assert "Ce support ne peut pas encore être validé." in html
    draft.refresh_from_db()
    assert draft.review_state == RS.DRAFT


def test_archive_then_validate_again(login, coordinator, guide, media):
    MaterialVariantFactory(material=guide)
    guide.licence = "Libre"
    guide.save()
    client = login(coordinator)
    client.post(reverse("prevention:material_transition", args=[guide.pk, "archived"]))
    guide.refresh_from_db()
    assert guide.review_state == RS.ARCHIVED
    assert client.get(guide.get_absolute_url()).status_code == 404
    client.post(reverse("prevention:material_transition", args=[guide.pk, "validated"]))
    guide.refresh_from_db()
    assert guide.review_state == RS.VALIDATED


def test_an_unknown_state_is_404(login, coordinator, guide):
    url = reverse("prevention:material_transition", args=[guide.pk, "published"])
    assert login(coordinator).post(url).status_code == 404


# Stock


def test_a_restock_through_the_page_shows_in_its_history(login, coordinator, guide):
    client = login(coordinator)
    url = reverse("prevention:material_stock", args=[guide.pk])
    response = client.post(url, {"quantity": "300", "note": "réimpression"}, follow=True)
    html = response.content.decode()
    assert "Stock mis à jour : 800 exemplaires." in html
    assert "Réapprovisionnement : +300 (réimpression)" in html
    assert "+300" in html
    html = client.post(url, {"quantity": "0"}).content.decode()
    assert "supérieure ou égale à 1" in html
    guide.refresh_from_db()
    assert guide.stock == 800


# Files


def test_a_coordinator_uploads_a_print_file_with_its_bleed(login, coordinator, draft, media):
    response = login(coordinator).post(
        reverse("prevention:variant_add", args=[draft.pk]),
        {
            "purpose": "print",
            "language": "ar",
            "bleed_mm": "3",
            "file": SimpleUploadedFile("affiche.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    variant = MaterialVariant.objects.get()
    assert (variant.purpose, variant.language, variant.bleed_mm) == ("print", "ar", 3)
    assert variant.file.name.startswith("prevention/variantes/")
    assert "affiche" not in variant.file.name


def test_a_jpeg_uploaded_through_the_page_loses_its_exif(login, coordinator, draft, media):
    login(coordinator).post(
        reverse("prevention:variant_add", args=[draft.pk]),
        {
            "purpose": "web",
            "language": "fr",
            "file": SimpleUploadedFile("photo.jpg", jpeg_with_exif()),
        },
    )
    variant = MaterialVariant.objects.get()
    with variant.file.open("rb") as handle:
        assert b"AppareilSecret" not in handle.read()


def test_a_disguised_file_is_refused_with_a_french_message(login, coordinator, draft, media):
    response = login(coordinator).post(
        reverse("prevention:variant_add", args=[draft.pk]),
        {"purpose": "web", "language": "fr", "file": SimpleUploadedFile("x.png", HTML)},
    )
    assert "n&#x27;est ni un PDF, ni une image PNG ou JPEG" in response.content.decode()
    assert not MaterialVariant.objects.exists()


def test_bleed_on_a_web_file_is_a_form_error(login, coordinator, draft, media):
    response = login(coordinator).post(
        reverse("prevention:variant_add", args=[draft.pk]),
        {
            "purpose": "web",
            "language": "fr",
            "bleed_mm": "3",
            "file": SimpleUploadedFile("a.pdf", pdf_bytes()),
        },
    )
    assert "ne concerne que les fichiers pour l&#x27;impression" in response.content.decode()


def test_deleting_a_file_asks_for_confirmation(login, coordinator, draft, media):
    variant = MaterialVariantFactory(material=draft)
    client = login(coordinator)
    url = reverse("prevention:variant_delete", args=[variant.pk])
    assert "Supprimer le fichier" in client.get(url).content.decode()
    assert MaterialVariant.objects.exists()
    response = client.post(url)
    assert response["Location"] == reverse("prevention:material_manage", args=[draft.pk])
    assert not MaterialVariant.objects.exists()


def test_the_manage_page_lists_files_and_next_states(login, coordinator, draft, media):
    MaterialVariantFactory(material=draft, purpose="print", language="en", bleed_mm=3)
    html = (
        login(coordinator)
        .get(reverse("prevention:material_manage", args=[draft.pk]))
        .content.decode()
    )
    assert "Impression (avec fond perdu)" in html and "Anglais" in html and "3 mm" in html
    assert reverse("prevention:material_transition", args=[draft.pk, "validated"]) in html
    assert reverse("prevention:material_transition", args=[draft.pk, "archived"]) not in html


def test_the_partners_of_a_campaign_come_from_its_territory(login, coordinator, territory):
    OrganisationFactory(territory=territory, name="Maison des solidarités")
    OrganisationFactory(name="Structure lointaine")
    html = login(coordinator).get(reverse("prevention:campaign_add")).content.decode()
    assert "Maison des solidarités" in html and "Structure lointaine" not in html
