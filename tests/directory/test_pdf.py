"""Printable directory: a service's sheet and a search's results, as PDF (read back with pypdf)."""

import io
import socket

import pytest
from django.urls import reverse
from pypdf import PdfReader

from maillage.core import pdf_cache
from maillage.directory import print_views
from maillage.directory.models import Service, Visibility
from maillage.directory.pdf import RefusedURL, StaticFilesFetcher, base_url, render_pdf

from ..factories import CommuneFactory
from .factories import PhoneFactory, PlaceFactory, ServiceFactory, SlotFactory

pytestmark = pytest.mark.django_db


def read_pdf(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return PdfReader(io.BytesIO(response.content))


def pdf_text(response) -> str:
    """The text of every page, its lines joined by single spaces."""
    return " ".join(" ".join(page.extract_text().split()) for page in read_pdf(response).pages)


def sheet_url(service: Service) -> str:
    return reverse("directory:service-pdf", args=[service.pk])


@pytest.fixture
def hidden_place():
    """A shelter: its street must never be printed, its commune may."""
    return PlaceFactory(
        service__name="Hébergement Orée",
        name="Maison des Tilleuls",
        address="12 rue Secrète",
        commune=CommuneFactory(insee_code="49353", name="Trélazé"),
        latitude=None,
        longitude=None,
        hide_address=True,
    )


def test_the_sheet_is_a_one_page_pdf_with_the_service_and_the_emergency_numbers(client):
    service = ServiceFactory(
        name="Accueil Ralliement",
        summary="Écoute et information",
        email="accueil@example.org",
        walk_in=True,
        terms__help=["ecoute"],
    )
    PlaceFactory(service=service, address="1 place du Ralliement")
    PhoneFactory(service=service, number="02 41 00 00 01")
    SlotFactory(service=service)

    response = client.get(sheet_url(service))

    reader = read_pdf(response)
    text = pdf_text(response)
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Accueil Ralliement"
    assert response["Content-Disposition"] == 'inline; filename="accueil-ralliement.pdf"'
    for printed in (
        "Accueil Ralliement",
        service.organisation.name.upper(),  # printed as an eyebrow, in capitals
        "Écoute et information",
        "1 place du Ralliement",
        "02 41 00 00 01",
        "accueil@example.org",
        "Lundi : 09h00",
        "sans rendez-vous",
        "3919",
        "Document généré le",
    ):
        assert printed in text


def test_the_pdf_title_is_discreet(client):
    service = ServiceFactory(name="Permanence du mardi", summary="Violences conjugales")
    reader = read_pdf(client.get(sheet_url(service)))
    assert "violence" not in reader.metadata.title.lower()


def test_a_hidden_address_is_never_printed_only_its_commune(client, hidden_place):
    sheet = pdf_text(client.get(sheet_url(hidden_place.service)))
    results = pdf_text(client.get(reverse("directory:search-pdf"), {"q": "Orée"}))

    for text in (sheet, results):
        assert "Hébergement Orée" in text
        assert "rue Secrète" not in text
        assert "Tilleuls" not in text
        assert "Trélazé" in text


def test_professional_phones_and_email_are_printed_for_professionals_only(
    client, login, professional
):
    service = ServiceFactory(
        name="Écoute Anjou",
        email="pros@example.org",
        email_visibility=Visibility.PROFESSIONALS,
    )
    PhoneFactory(service=service, number="02 41 00 00 01")
    PhoneFactory(service=service, number="02 41 00 00 02", visibility=Visibility.PROFESSIONALS)
    results_url = reverse("directory:search-pdf")

    for anonymous in (pdf_text(client.get(sheet_url(service))), pdf_text(client.get(results_url))):
        assert "02 41 00 00 01" in anonymous
        assert "02 41 00 00 02" not in anonymous
        assert "pros@example.org" not in anonymous

    login(professional)
    sheet = pdf_text(client.get(sheet_url(service)))
    assert "02 41 00 00 02" in sheet
    assert "pros@example.org" in sheet
    assert "ne la remettez pas au public" in sheet
    assert "02 41 00 00 02" in pdf_text(client.get(results_url))


def test_a_draft_service_has_no_sheet(client, login, professional):
    service = ServiceFactory(status=Service.Status.DRAFT)
    assert client.get(sheet_url(service)).status_code == 404
    login(professional)
    assert client.get(sheet_url(service)).status_code == 404


def test_a_record_for_professionals_is_printed_for_professionals_only(client, login, professional):
    service = ServiceFactory(name="Ligne des pros", visibility=Visibility.PROFESSIONALS)
    assert client.get(sheet_url(service)).status_code == 404
    assert "Ligne des pros" not in pdf_text(client.get(reverse("directory:search-pdf")))

    login(professional)
    assert "Ligne des pros" in pdf_text(client.get(sheet_url(service)))


def test_the_printed_list_follows_the_search(client):
    ServiceFactory(name="Permanence juridique")
    ServiceFactory(name="Groupe de parole")

    text = pdf_text(client.get(reverse("directory:search-pdf"), {"q": "juridique"}))

    assert "Permanence juridique" in text
    assert "Groupe de parole" not in text
    assert "« juridique »" in text
    assert "1 résultat" in text


def test_an_invalid_search_prints_an_empty_list(client):
    ServiceFactory(name="Permanence juridique")
    text = pdf_text(client.get(reverse("directory:search-pdf"), {"commune": "Nullepart"}))
    assert "Permanence juridique" not in text
    assert "Aucun service ne correspond" in text


def test_a_long_list_says_it_is_cut(client, monkeypatch):
    monkeypatch.setattr(print_views, "LIST_LIMIT", 1)
    ServiceFactory(name="Accueil un")
    ServiceFactory(name="Accueil deux")
    text = pdf_text(client.get(reverse("directory:search-pdf"), {"q": "accueil"}))
    assert "2 résultats" in text
    assert "Seuls les 1 premiers résultats sont imprimés" in text
    assert ("Accueil un" in text) != ("Accueil deux" in text)


def test_the_pages_link_to_their_pdf(client):
    service = ServiceFactory(name="Permanence juridique")
    page = client.get(service.get_absolute_url()).content.decode()
    assert f'href="{sheet_url(service)}"' in page
    assert "Imprimer la fiche (PDF)" in page

    results = client.get(reverse("directory:search"), {"q": "juridique"}).content.decode()
    assert "Imprimer ces résultats (PDF)" in results
    assert f'href="{reverse("directory:search-pdf")}?q=juridique"' in results

    none = client.get(reverse("directory:search"), {"q": "introuvable"}).content.decode()
    assert "Imprimer ces résultats" not in none


def test_the_renderer_serves_our_static_files_and_nothing_else():
    fetcher = StaticFilesFetcher(base_url())
    assert b"@page" in fetcher.fetch(f"{base_url()}static/css/pdf.css").read()
    for url in (
        "https://tiers.example.org/police.woff2",
        "file:///etc/passwd",
        f"{base_url()}static/css/../../settings.py",
        f"{base_url()}media/territories/logo.png",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_render_pdf_never_fetches_another_site(settings, tmp_path, monkeypatch):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    (tmp_path / "probe.html").write_text(
        '<link rel="stylesheet" href="https://tiers.example.org/x.css">'
        '<img src="http://127.0.0.1:9/pixel.png" alt="">{{ title }}'
    )
    asked, connected = [], []
    fetch = StaticFilesFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return fetch(self, url, headers)

    def connect(self, address):
        connected.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(StaticFilesFetcher, "fetch", spy)
    monkeypatch.setattr(socket.socket, "connect", connect)

    pdf = render_pdf("probe.html", {}, title="Sonde")

    assert pdf.startswith(b"%PDF")
    assert sorted(asked) == ["http://127.0.0.1:9/pixel.png", "https://tiers.example.org/x.css"]
    assert connected == []


# -- kept in the cache, builds limited per client (core.pdf_cache) ------------------------------


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The templates the printed directory builds into a PDF (a spy on render_pdf)."""
    built: list[str] = []
    render = print_views.render_pdf

    def spy(template_name, context, *, title):
        built.append(template_name)
        return render(template_name, context, title=title)

    monkeypatch.setattr(print_views, "render_pdf", spy)
    return built


def test_the_same_printed_search_is_built_once(client, renders):
    ServiceFactory(name="Permanence juridique", is_free=True)
    url = reverse("directory:search-pdf")

    first = client.get(url, {"q": "juridique", "gratuit": "on"})
    # The same search, its parameters in another order, with one the PDF ignores.
    again = client.get(f"{url}?gratuit=on&page=3&q=juridique")

    assert renders == ["directory/pdf/search.html"]
    assert again.content == first.content
    assert "Permanence juridique" in pdf_text(again)
    client.get(url, {"q": "groupe"})  # another search: another document
    assert len(renders) == 2


def test_a_directory_edit_changes_the_printed_searchs_key(client, renders):
    service = ServiceFactory(name="Permanence juridique")
    url = reverse("directory:search-pdf")
    assert "Permanence juridique" in pdf_text(client.get(url, {"q": "permanence"}))
    client.get(url, {"q": "permanence"})
    assert len(renders) == 1  # kept while the directory is unchanged

    service.name = "Permanence des droits"
    service.save()  # a new token for the search index

    text = pdf_text(client.get(url, {"q": "permanence"}))
    assert len(renders) == 2
    assert "Permanence des droits" in text
    assert "Permanence juridique" not in text


def test_the_sheet_is_built_once_and_a_professionals_sheet_is_kept_apart(
    client, login, professional, renders
):
    service = ServiceFactory(name="Écoute Anjou")
    PhoneFactory(service=service, number="02 41 00 00 01")
    PhoneFactory(service=service, number="02 41 00 00 02", visibility=Visibility.PROFESSIONALS)

    assert client.get(sheet_url(service)).content == client.get(sheet_url(service)).content
    assert renders == ["directory/pdf/service.html"]

    login(professional)
    assert "02 41 00 00 02" in pdf_text(client.get(sheet_url(service)))
    assert len(renders) == 2
    client.logout()
    assert "02 41 00 00 02" not in pdf_text(client.get(sheet_url(service)))
    assert len(renders) == 2  # the visitors' sheet, from the cache


def test_past_the_limit_a_visitor_gets_429_in_french_and_still_the_cached_pdfs(
    client, monkeypatch, renders
):
    monkeypatch.setattr(pdf_cache, "BUILDS_PER_WINDOW", 2)
    service = ServiceFactory(name="Permanence juridique")
    url = reverse("directory:search-pdf")
    read_pdf(client.get(sheet_url(service)))
    read_pdf(client.get(url, {"q": "juridique"}))

    refused = [client.get(url, {"q": "accueil"}), client.get(url, {"q": "groupe"})]

    for response in refused:
        assert response.status_code == 429
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert response["Retry-After"] == str(pdf_cache.WINDOW_SECONDS)
        assert "Trop de demandes" in response.content.decode()
    assert len(renders) == 2
    # What the cache holds is still served to that visitor.
    assert "Permanence juridique" in pdf_text(client.get(sheet_url(service)))
    assert "Permanence juridique" in pdf_text(client.get(url, {"q": "juridique"}))
    # Another address has its own count.
    read_pdf(client.get(url, {"q": "accueil"}, REMOTE_ADDR="192.0.2.44"))
    assert len(renders) == 3
