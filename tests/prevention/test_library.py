"""The public library /supports/: validated public materials, search and filters, downloads
counted per organisation for logged-in partners, never for anonymous visitors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.prevention.models import DownloadCount, Material
from maillage.prevention.services import attach_file

from .factories import MaterialFactory, pdf_bytes

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()  # a real PDF: uploads are read by a PDF parser


def test_the_library_lists_validated_public_materials_only(client, campaign):
    MaterialFactory(campaign=campaign, title="Affiche témoin")
    MaterialFactory(campaign=campaign, title="Brouillon caché", draft=True)
    MaterialFactory(campaign=campaign, title="Support réservé", is_public=False)
    html = client.get("/supports/").content.decode()
    assert "Affiche témoin" in html
    assert "Brouillon caché" not in html
    assert "Support réservé" not in html


def test_search_and_filters(client, campaign):
    MaterialFactory(campaign=campaign, title="Affiche témoin", kind=Material.Kind.POSTER)
    MaterialFactory(
        campaign=campaign, title="Feuillet jaune", kind=Material.Kind.LEAFLET, description="témoin"
    )
    MaterialFactory(campaign=campaign, title="Mémo des pros", audience="professionals")
    html = client.get("/supports/", {"q": "témoin"}).content.decode()
    assert "Affiche témoin" in html and "Feuillet jaune" in html and "Mémo des pros" not in html
    html = client.get("/supports/", {"kind": "poster"}).content.decode()
    assert "Affiche témoin" in html and "Feuillet jaune" not in html
    html = client.get("/supports/", {"audience": "professionals"}).content.decode()
    assert "Mémo des pros" in html and "Affiche témoin" not in html


def test_the_library_is_paginated(client, campaign):
    MaterialFactory.create_batch(25, campaign=campaign)
    assert "Page 1 sur 2" in client.get("/supports/").content.decode()


def test_an_anonymous_download_counts_nothing_and_sets_no_cookie(client, guide, media):
    attach_file(material=guide, upload=SimpleUploadedFile("guide.pdf", PDF))
    for response in (client.get("/supports/"), client.get(guide.get_absolute_url())):
        assert response.cookies == {}
    response = client.get(reverse("prevention:download", args=[guide.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response.cookies == {}
    assert not DownloadCount.objects.exists()


def test_a_partners_downloads_count_for_their_organisation(
    login, referent, organisation, guide, media
):
    attach_file(material=guide, upload=SimpleUploadedFile("guide.pdf", PDF))
    client = login(referent)
    for _ in range(2):
        response = client.get(reverse("prevention:download", args=[guide.pk]))
        assert b"".join(response.streaming_content) == PDF
    count = DownloadCount.objects.get()
    assert (count.organisation, count.count, count.month.day) == (organisation, 2, 1)


def test_a_material_without_file_has_no_download(client, guide):
    assert client.get(reverse("prevention:download", args=[guide.pk])).status_code == 404
