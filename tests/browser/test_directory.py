"""The public directory in a real browser: search, filters, open now, confidential addresses."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from ..directory.factories import PhoneFactory, PlaceFactory, ServiceFactory, SlotFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def directory(transactional_db):
    shelter = ServiceFactory(
        name="Hébergement d'urgence des femmes",
        summary="Une place pour cette nuit.",
        terms__help=["hebergement-urgence"],
        terms__publics=["femmes"],
    )
    PlaceFactory(
        service=shelter, address="7 rue Cachée", latitude=None, longitude=None, hide_address=True
    )
    minors = ServiceFactory(
        name="Mise à l'abri des mineurs",
        minors_accepted=True,
        terms__help=["hebergement-urgence"],
        terms__publics=["mineurs"],
    )
    SlotFactory(service=minors, weekday=0, opens="09:00", closes="12:00")
    listening = ServiceFactory(name="Écoute du soir", terms__help=["ecoute"])
    SlotFactory(service=listening, weekday=0, opens="18:00", closes="22:00")
    PhoneFactory(service=listening, number="02 41 00 00 09")
    return {"shelter": shelter, "minors": minors, "listening": listening}


def result_names(page) -> list[str]:
    return page.locator(".results h3").all_inner_texts()


def test_searching_without_accents_finds_emergency_shelter_and_filters_narrow(
    page, url, directory, outside_requests, context
):
    page.goto(url("/annuaire/"))
    page.get_by_label("Que cherchez-vous ?").fill("hebergement")
    page.get_by_role("button", name="Rechercher").click()

    assert page.get_by_role("heading", name="2 résultats").is_visible()
    assert sorted(result_names(page)) == [
        "Hébergement d'urgence des femmes",
        "Mise à l'abri des mineurs",
    ]
    assert "q=hebergement" in page.url  # a shareable address

    page.get_by_text("Filtres").click()
    page.locator("fieldset", has_text="Public").get_by_label("Mineurs").check()
    page.get_by_role("button", name="Rechercher").click()

    assert page.get_by_role("heading", name="1 résultat").is_visible()
    assert result_names(page) == ["Mise à l'abri des mineurs"]
    assert outside_requests == []
    assert context.cookies() == []


def test_open_now_follows_the_hours_at_a_frozen_time(page, url, directory, monkeypatch):
    monday_evening = datetime(2026, 11, 30, 19, 0, tzinfo=PARIS)
    monkeypatch.setattr(timezone, "now", lambda: monday_evening)

    page.goto(url("/annuaire/?ouvert=on"))
    assert result_names(page) == ["Écoute du soir"]

    page.goto(url(directory["listening"].get_absolute_url()))
    assert page.get_by_text("Ouvert maintenant").is_visible()
    page.goto(url(directory["minors"].get_absolute_url()))
    assert page.get_by_text("Fermé en ce moment").is_visible()


def test_a_confidential_address_never_shows(page, url, directory):
    page.goto(url("/annuaire/?q=hebergement"))
    assert "rue Cachée" not in page.content()
    page.goto(url(directory["shelter"].get_absolute_url()))
    content = page.content()
    assert "rue Cachée" not in content
    assert "Angers" in content
    assert page.get_by_text("adresse communiquée par téléphone").is_visible()


def test_directory_works_without_javascript(new_context, url, directory):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(url("/annuaire/"))
    page.get_by_label("Que cherchez-vous ?").fill("ecoute")
    page.get_by_role("button", name="Rechercher").click()
    assert result_names(page) == ["Écoute du soir"]


def test_the_map_loads_tiles_only_when_asked(page, url, directory, outside_requests):
    PlaceFactory(service=directory["listening"], latitude=47.47, longitude=-0.55)
    page.goto(url("/annuaire/?q=ecoute"))
    page.wait_for_load_state("networkidle")
    assert outside_requests == []
    assert page.locator("#carte").is_hidden()

    page.get_by_role("button", name="Afficher la carte").click()
    page.locator("#carte .leaflet-marker-icon").wait_for()

    assert page.locator("#carte").is_visible()
    assert outside_requests, "no tile was requested after asking for the map"
    assert all(u.startswith("https://tuiles.example.org/") for u in outside_requests)
    marker_title = page.locator("#carte .leaflet-marker-icon").first.get_attribute("title")
    assert marker_title == "Écoute du soir"


def test_the_map_never_shows_a_confidential_place(page, url, directory):
    page.goto(url("/annuaire/?q=hebergement"))
    points = page.locator("#map-points")
    assert points.count() == 0 or "Cachée" not in points.text_content()


def test_coordinator_imports_a_file_and_reads_the_report(
    page, url, log_in, coordinator, settings, tmp_path
):
    from pathlib import Path

    from maillage.core.communes import load_communes

    settings.MEDIA_ROOT = tmp_path
    load_communes()
    data = Path(__file__).parent.parent / "directory" / "data" / "services-invalides.json"
    log_in(page, coordinator)
    page.goto(url("/espace/annuaire/import/"))
    page.get_by_label("Fichier").set_input_files(str(data))
    page.get_by_role("button", name="Vérifier le fichier").click()

    assert page.get_by_role("heading", name="Vérification du fichier").is_visible()
    assert page.get_by_text("Rien n'a été enregistré.").is_visible()
    assert page.get_by_role("table").is_visible()
