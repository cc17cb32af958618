"""Search: text, filters, distance, order (the in-memory index, on either engine of the run)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from maillage.directory.models import Closure, Service, Visibility
from maillage.directory.search import Query, services_for

from ..factories import CommuneFactory
from ..queries import page_queries
from .factories import PlaceFactory, ServiceFactory, SlotFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def names(query: Query, **kwargs) -> list[str]:
    return [s.name for s in services_for(query, **kwargs)]


def test_text_search_ignores_accents_and_inflections():
    ServiceFactory(name="Hébergement d'urgence", terms__help=["hebergement-urgence"])
    ServiceFactory(name="Écoute téléphonique")
    assert names(Query(text="hebergement")) == ["Hébergement d'urgence"]
    assert names(Query(text="HÉBERGEMENTS")) == ["Hébergement d'urgence"]
    assert names(Query(text="ecoute telephonique")) == ["Écoute téléphonique"]


def test_every_word_must_match_as_a_prefix():
    ServiceFactory(name="Aide aux victimes", summary="Juristes et psychologues")
    ServiceFactory(name="Aide financière")
    assert names(Query(text="aide psycho")) == ["Aide aux victimes"]
    assert names(Query(text="aide")) == ["Aide aux victimes", "Aide financière"]


def test_terms_and_organisation_are_searchable(organisation):
    ServiceFactory(
        name="Permanence", organisation=organisation, terms__help=["information-juridique"]
    )
    assert names(Query(text="juridique")) == ["Permanence"]
    assert names(Query(text="solidarite femmes")) == ["Permanence"]


def test_a_word_in_the_name_ranks_first():
    ServiceFactory(name="Accueil de jour", summary="Hébergement possible le soir")
    ServiceFactory(name="Hébergement des femmes")
    assert names(Query(text="hebergement")) == ["Hébergement des femmes", "Accueil de jour"]


def test_filters_narrow_the_results():
    ServiceFactory(name="Planning", minors_accepted=True, terms__publics=["mineurs"])
    ServiceFactory(name="CIDFF", is_anonymous=True, terms__violence=["conjugales"])
    ServiceFactory(name="Médiations", is_free=False, terms__help=["auteurs"])
    assert names(Query(minors=True)) == ["Planning"]
    assert names(Query(public=["mineurs"])) == ["Planning"]
    assert names(Query(violence=["conjugales"])) == ["CIDFF"]
    assert names(Query(anonymous=True)) == ["CIDFF"]
    assert set(names(Query(free=True))) == {"CIDFF", "Planning"}
    assert names(Query(help=["auteurs", "ecoute"])) == ["Médiations"]


def test_open_now_follows_the_hours_in_paris_time():
    morning = ServiceFactory(name="Matin")
    SlotFactory(service=morning, weekday=0, opens="09:00", closes="12:00")
    ServiceFactory(name="Toujours", is_24_7=True)
    ServiceFactory(name="Sans horaires")
    monday_10 = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
    monday_14 = datetime(2026, 11, 30, 14, 0, tzinfo=PARIS)

    assert names(Query(open_now=True), now=monday_10) == ["Matin", "Toujours"]
    assert names(Query(open_now=True), now=monday_14) == ["Toujours"]
    assert morning.is_open_at(monday_10) is True
    assert morning.is_open_at(monday_14) is False

    Closure.objects.create(service=morning, starts_on="2026-11-30", ends_on="2026-12-01")
    assert names(Query(open_now=True), now=monday_10) == ["Toujours"]


def test_commune_filter_keeps_places_there_and_coverages_that_include_it():
    angers = CommuneFactory(insee_code="49007", name="Angers", department="49")
    cholet = CommuneFactory(insee_code="49099", name="Cholet", department="49")
    PlaceFactory(service__name="À Angers", commune=angers)
    PlaceFactory(service__name="À Cholet", commune=cholet)
    ServiceFactory(name="National", coverage=Service.Coverage.NATIONAL)
    ServiceFactory(name="Maine-et-Loire", coverage=Service.Coverage.DEPARTMENT,
                   coverage_department="49")  # fmt: skip
    ServiceFactory(name="Sarthe", coverage=Service.Coverage.DEPARTMENT, coverage_department="72")
    # Ties are ordered by name, whose collation differs between engines: compare as sets.
    assert set(names(Query(commune=angers))) == {"À Angers", "Maine-et-Loire", "National"}


def test_near_me_keeps_the_radius_and_ranks_by_distance():
    PlaceFactory(service__name="Loin", latitude=47.60, longitude=-0.55)  # ~14 km
    PlaceFactory(service__name="Proche", latitude=47.475, longitude=-0.555)
    PlaceFactory(service__name="Voisin", latitude=47.49, longitude=-0.56)
    ServiceFactory(name="Ligne nationale", coverage=Service.Coverage.NATIONAL)
    here = Query(latitude=47.4736, longitude=-0.5542, radius_km=5)
    assert names(here) == ["Proche", "Voisin", "Ligne nationale"]
    assert names(Query(latitude=47.4736, longitude=-0.5542, radius_km=30))[:3] == [
        "Proche",
        "Voisin",
        "Loin",
    ]


def test_professional_only_services_stay_out_of_public_results(referent):
    ServiceFactory(name="Ligne des professionnels", visibility=Visibility.PROFESSIONALS)
    ServiceFactory(name="Brouillon", status=Service.Status.DRAFT)
    assert names(Query()) == []
    assert names(Query(), user=referent) == ["Ligne des professionnels"]


def test_search_page_finds_and_counts(client):
    ServiceFactory(name="Hébergement d'urgence", terms__help=["hebergement-urgence"],
                   terms__publics=["femmes"])  # fmt: skip
    ServiceFactory(name="Mise à l'abri des mineurs", minors_accepted=True,
                   terms__help=["hebergement-urgence"], terms__publics=["mineurs"])  # fmt: skip
    url = reverse("directory:search")

    page = client.get(url, {"q": "hebergement"}).content.decode()
    assert "2 résultats" in page
    assert 'Femmes majeures <span class="muted">(1)</span>' in page
    narrowed = client.get(url, {"q": "hebergement", "public": "mineurs"}).content.decode()
    assert "1 résultat" in narrowed
    assert "Mise à l&#x27;abri des mineurs" in narrowed
    assert not client.get(url, {"q": "hebergement"}).cookies


def test_unknown_commune_is_refused_in_french(client):
    ServiceFactory(name="Quelque chose")
    page = client.get(reverse("directory:search"), {"commune": "Nulle-Part-sur-Mer"})
    html = page.content.decode()
    assert "Commune inconnue" in html
    assert "Quelque chose" not in html


def test_search_page_keeps_a_fixed_number_of_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        client.get(reverse("directory:search"))  # (re)builds this process's search index
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("directory:search"), {"q": "service"})
        assert response.status_code == 200
        return len(page_queries(captured))

    for _ in range(3):
        PlaceFactory(service__terms__help=["ecoute"])
    few = queries()
    for _ in range(22):
        PlaceFactory(service__terms__help=["ecoute"])
    assert queries() == few <= 12
    assert "25 résultats" in client.get(reverse("directory:search"), {"q": "service"}).text


def test_near_me_lists_a_service_with_two_places_once():
    service = ServiceFactory(name="Deux lieux")
    PlaceFactory(service=service, latitude=47.475, longitude=-0.555)
    PlaceFactory(service=service, latitude=47.48, longitude=-0.56)
    ServiceFactory(name="À distance", remote=True)
    results = services_for(Query(latitude=47.4736, longitude=-0.5542, radius_km=5))
    assert [s.name for s in results] == ["Deux lieux", "À distance"]
    assert results.count() == 2


def test_facet_counts_follow_the_results():
    from maillage.directory.search import facet_counts

    ServiceFactory(name="Un", terms__help=["ecoute"], terms__publics=["femmes", "mineurs"])
    ServiceFactory(name="Deux", terms__help=["ecoute", "plainte"], terms__publics=["femmes"])
    ServiceFactory(name="Trois", terms__help=["plainte"])
    counts = facet_counts(services_for(Query(help=["ecoute"])))
    assert counts["aide"] == {"ecoute": 2, "plainte": 1}
    assert counts["public"] == {"femmes": 2, "mineurs": 1}
    assert counts["violence"] == {} and counts["langue"] == {}
    assert facet_counts(services_for(Query()).none()) == {
        "violence": {},
        "aide": {},
        "public": {},
        "langue": {},
    }
    near = facet_counts(services_for(Query(text="deux")))
    assert near["aide"] == {"ecoute": 1, "plainte": 1}
