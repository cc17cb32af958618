"""The library for partners: restricted materials shown to the partners of their territory
(404 for anonymous visitors and others), filters by campaign and language, previews, the
material page with its files per purpose and language, variant downloads counted per
organisation and never for anonymous visitors."""

import pytest
from django.urls import reverse

from maillage.prevention import materials as services
from maillage.prevention.models import DownloadCount

from ..factories import RoleFactory
from .factories import CampaignFactory, MaterialFactory, MaterialVariantFactory, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(campaign):
    return MaterialFactory(
        campaign=campaign,
        title="Mémo pour les partenaires",
        is_public=False,
        licence="Usage interne des partenaires",
    )


def test_a_restricted_material_is_hidden_from_anonymous_visitors(client, restricted, media):
    variant = MaterialVariantFactory(material=restricted)
    assert "Mémo pour les partenaires" not in client.get("/supports/").content.decode()
    for url in (
        restricted.get_absolute_url(),
        reverse("prevention:download", args=[restricted.pk]),
        reverse("prevention:variant_download", args=[restricted.pk, variant.pk]),
        reverse("prevention:preview", args=[restricted.pk]),
    ):
        assert client.get(url).status_code == 404


def test_a_partner_sees_restricted_materials_marked_as_such(login, professional, restricted):
    client = login(professional)
    html = client.get("/supports/").content.decode()
    assert "Mémo pour les partenaires" in html
    assert "Réservé aux partenaires" in html
    page = client.get(restricted.get_absolute_url())
    assert page.status_code == 200
    assert "Usage interne des partenaires" in page.content.decode()


def test_a_partner_of_another_territory_does_not_see_them(login, foreign_organisation, restricted):
    outsider = RoleFactory(organisation=foreign_organisation).user
    client = login(outsider)
    assert "Mémo pour les partenaires" not in client.get("/supports/").content.decode()
    assert client.get(restricted.get_absolute_url()).status_code == 404


def test_the_coordinator_sees_them_too(login, coordinator, restricted):
    assert login(coordinator).get(restricted.get_absolute_url()).status_code == 200


def test_drafts_and_archives_stay_out_even_for_partners(login, referent, campaign):
    MaterialFactory(campaign=campaign, title="Brouillon", draft=True, is_public=False)
    MaterialFactory(campaign=campaign, title="Archivé", review_state="archived")
    html = login(referent).get("/supports/").content.decode()
    assert "Brouillon" not in html and "Archivé" not in html


def test_filter_by_campaign_and_language(client, campaign, territory, media):
    other = CampaignFactory(territory=territory, title="Nuits festives")
    MaterialFactory(campaign=campaign, title="Affiche française")
    arabic = MaterialFactory(campaign=other, title="Dépliant traduit")
    MaterialVariantFactory(material=arabic, language="ar")
    html = client.get("/supports/", {"campaign": other.pk}).content.decode()
    assert "Dépliant traduit" in html and "Affiche française" not in html
    html = client.get("/supports/", {"language": "ar"}).content.decode()
    assert "Dépliant traduit" in html and "Affiche française" not in html
    form = client.get("/supports/").content.decode()
    assert "Nuits festives" in form and 'value="fr-falc"' in form


def test_the_campaign_filter_offers_only_visible_campaigns(client, restricted, territory):
    CampaignFactory(territory=territory, title="Campagne sans support")
    html = client.get("/supports/").content.decode()
    assert "Campagne sans support" not in html
    assert restricted.campaign.title not in html  # its only material is restricted


def test_the_material_page_lists_files_and_reuse_conditions(client, campaign, media):
    material = MaterialFactory(
        campaign=campaign,
        title="Affiche témoin",
        licence="CC BY-ND 4.0",
        credits="Studio Graphique",
        shows_people_consent=True,
        print_specs="A3, quadrichromie",
        legal_mentions="Ne pas jeter sur la voie publique",
        partner_logo_slot=True,
        partner_logo_note="En bas à droite",
    )
    web = MaterialVariantFactory(material=material, purpose="web", language="fr")
    MaterialVariantFactory(material=material, purpose="print", language="en", bleed_mm=3)
    html = client.get(material.get_absolute_url()).content.decode()
    for text in (
        "CC BY-ND 4.0",
        "Studio Graphique",
        "Leur consentement a été recueilli.",
        "A3, quadrichromie",
        "Ne pas jeter sur la voie publique",
        "En bas à droite",
        "Impression (avec fond perdu)",
        "Télécharger — Anglais",
        "fond perdu 3 mm",
    ):
        assert text in html
    assert reverse("prevention:variant_download", args=[material.pk, web.pk]) in html


def test_a_video_is_a_plain_link_never_embedded(client, campaign):
    video = MaterialFactory(
        campaign=campaign, kind="video", external_url="https://videos.example.org/temoin"
    )
    html = client.get(video.get_absolute_url()).content.decode()
    assert 'href="https://videos.example.org/temoin"' in html
    assert "<iframe" not in html and "<video" not in html


def test_a_variant_download_counts_for_the_partners_organisation(
    login, client, referent, organisation, campaign, media
):
    material = MaterialFactory(campaign=campaign)
    variant = MaterialVariantFactory(material=material)
    url = reverse("prevention:variant_download", args=[material.pk, variant.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response.cookies == {}
    assert not DownloadCount.objects.exists()
    response = login(referent).get(url)
    b"".join(response.streaming_content)
    count = DownloadCount.objects.get()
    assert (count.organisation, count.material, count.count) == (organisation, material, 1)


def test_a_variant_of_another_material_is_404(client, campaign, media):
    material = MaterialFactory(campaign=campaign)
    variant = MaterialVariantFactory(material=MaterialFactory(campaign=campaign, draft=True))
    url = reverse("prevention:variant_download", args=[material.pk, variant.pk])
    assert client.get(url).status_code == 404


def test_the_preview_is_shown_with_an_alternative_text(client, campaign, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    material = MaterialFactory(campaign=campaign, title="Affiche témoin")
    services.upload_variant(
        material=material,
        purpose="web",
        language="fr",
        upload=SimpleUploadedFile("a.pdf", pdf_bytes()),
        by=None,
    )
    preview_url = reverse("prevention:preview", args=[material.pk])
    alt = 'alt="Aperçu de « Affiche témoin »"'
    for page in ("/supports/", material.get_absolute_url()):
        html = client.get(page).content.decode()
        assert f'src="{preview_url}"' in html and alt in html
    response = client.get(preview_url)
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response.cookies == {}


def test_the_library_does_not_query_per_material(
    client, login, referent, campaign, django_assert_max_num_queries
):
    for index in range(20):
        MaterialFactory(campaign=campaign, is_public=bool(index % 2))
    with django_assert_max_num_queries(6):
        response = client.get("/supports/")
    assert response.context["page_obj"].paginator.count == 10
    partner = login(referent)
    with django_assert_max_num_queries(12):
        response = partner.get("/supports/")
    assert response.context["page_obj"].paginator.count == 20
