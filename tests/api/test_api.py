"""The public read-only API: shapes, pagination, filters, hidden addresses, rate limit."""

import json

import pytest
from data_inclusion.schema.v1 import Service as DIService
from data_inclusion.schema.v1 import Structure as DIStructure

from maillage.directory.models import Visibility

from ..directory.factories import PhoneFactory, PlaceFactory, ServiceFactory
from ..directory.test_export_data_inclusion import build_directory
from ..directory.test_export_hsds import hsds_errors
from ..queries import page_queries

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/data-inclusion/structures",
    "/api/v1/data-inclusion/services",
    "/api/v1/hsds/organizations",
    "/api/v1/hsds/services",
]


@pytest.fixture
def directory(organisation):
    return build_directory(organisation)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_list_answers_json_without_a_cookie(client, directory, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert not response.cookies
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["count"] >= 2


def test_data_inclusion_services_validate_with_the_schema(client, directory):
    body = client.get("/api/v1/data-inclusion/services").json()
    assert body["count"] == 3
    for record in body["items"]:
        DIService.model_validate(record, context={"ignore_warnings": False})
    shelter = next(r for r in body["items"] if r["nom"] == "Accueil et mise à l'abri")
    assert shelter["lien_source"].startswith("http://testserver/annuaire/")
    assert set(shelter["modes_accueil"]) == {"en-presentiel", "a-distance"}


def test_data_inclusion_structures_validate_with_the_schema(client, directory, organisation):
    body = client.get("/api/v1/data-inclusion/structures").json()
    assert [s["nom"] for s in body["items"]] == ["FNSF", "Solidarité Femmes 49"]
    for record in body["items"]:
        DIStructure.model_validate(record, context={"ignore_warnings": False})
    assert body["items"][1]["siret"] == "77567227200038"


def test_hsds_services_are_strictly_valid(client, directory):
    body = client.get("/api/v1/hsds/services").json()
    assert body["count"] == 3
    for record in body["items"]:
        assert hsds_errors("service_with_definitions.json", record) == []
    for record in client.get("/api/v1/hsds/organizations").json()["items"]:
        assert hsds_errors("organization.json", record) == []


def test_one_hsds_service_by_id(client, directory):
    shelter = directory["shelter"]
    response = client.get(f"/api/v1/hsds/services/{shelter.pk}")
    assert response.status_code == 200
    record = response.json()
    assert record["id"] == str(shelter.pk)
    assert hsds_errors("service_with_definitions.json", record) == []


@pytest.mark.parametrize("case", ["draft", "professionals", "unknown", "not-a-uuid"])
def test_an_unpublished_private_or_unknown_service_answers_404(client, directory, case):
    service_id = {
        "draft": directory["draft"].pk,
        "professionals": ServiceFactory(visibility=Visibility.PROFESSIONALS).pk,
        "unknown": "7d8e8f4a-0000-4000-8000-000000000000",
        "not-a-uuid": "abc",
    }[case]
    response = client.get(f"/api/v1/hsds/services/{service_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Service introuvable."}


def test_hidden_addresses_and_coordinates_never_leave_through_the_api(client, directory):
    hidden = directory["hidden"]
    urls = [*ENDPOINTS, f"/api/v1/hsds/services/{hidden.pk}"]
    for url in urls:
        text = client.get(url).content.decode()
        assert "Cachée" not in text and "Secr\\u00e8te" not in text and "Secrète" not in text
    body = client.get("/api/v1/data-inclusion/services", {"q": "confidentiel"}).json()
    (record,) = body["items"]
    assert record["code_insee"] == "49007"
    for key in ("adresse", "code_postal", "latitude", "longitude"):
        assert key not in record
    location = client.get(f"/api/v1/hsds/services/{hidden.pk}").json()["service_at_locations"][0][
        "location"
    ]
    assert not {"addresses", "latitude", "longitude"} & set(location)


def test_pagination_pages_through_every_service(client, organisation):
    for index in range(5):
        ServiceFactory(organisation=organisation, name=f"Permanence {index}")
    first = client.get("/api/v1/hsds/services", {"taille": 2}).json()
    assert (first["count"], first["pages"], len(first["items"])) == (5, 3, 2)
    last = client.get("/api/v1/hsds/services", {"taille": 2, "page": 3}).json()
    assert [s["name"] for s in last["items"]] == ["Permanence 4"]
    beyond = client.get("/api/v1/hsds/services", {"taille": 2, "page": 9}).json()
    assert beyond["items"] == []


def test_a_page_size_above_the_maximum_is_refused_in_french(client, directory):
    response = client.get("/api/v1/hsds/services", {"taille": 1000})
    assert response.status_code == 422
    assert "inférieur ou égal à 100" in response.json()["detail"]
    response = client.get("/api/v1/hsds/services", {"page": "deux"})
    assert response.status_code == 422
    assert "nombre entier" in response.json()["detail"]


def test_filters_text_commune_thematique_and_help(client, directory):
    def names(**params):
        body = client.get("/api/v1/data-inclusion/services", params).json()
        return {s["nom"] for s in body["items"]}

    everything = {"3919", "Accueil et mise à l'abri", "Hébergement confidentiel"}
    assert names() == everything
    assert names(q="hebergement") == {"Accueil et mise à l'abri", "Hébergement confidentiel"}
    assert names(aide="ecoute") == {"3919", "Accueil et mise à l'abri"}
    assert names(thematique="famille--surmonter-conflits-separation-violence") == {
        "3919",
        "Accueil et mise à l'abri",
    }
    PlaceFactory(
        service=ServiceFactory(name="Ailleurs"),
        commune__insee_code="49328",
        commune__name="Saumur",
    )
    assert "Ailleurs" not in names(commune="49007")
    assert names(commune="49328") == {"3919", "Ailleurs"}  # national lines count everywhere
    structures = client.get("/api/v1/hsds/organizations", {"aide": "ecoute"}).json()
    assert structures["count"] == 2


def test_an_unknown_commune_is_refused_in_french(client, directory):
    response = client.get("/api/v1/hsds/services", {"commune": "99999"})
    assert response.status_code == 422
    assert response.json()["detail"] == "Commune inconnue : aucun code INSEE « 99999 »."


def test_the_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/hsds/services/{service_id}" in schema["paths"]
    assert "/api/v1/data-inclusion/services" in schema["paths"]
    json.dumps(schema)


def test_the_docs_page_lists_the_endpoints_and_loads_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/data-inclusion/structures" in html
    assert "/api/v1/openapi.json" in html
    assert "cdn" not in html.lower()
    assert "Content-Security-Policy" in response.headers
    assert not response.cookies


def test_too_many_requests_answer_429_in_french(client, settings, directory):
    settings.API_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get("/api/v1/hsds/organizations").status_code == 200
    response = client.get("/api/v1/hsds/services")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Trop de requêtes" in response.json()["detail"]
    other = client.get("/api/v1/hsds/services", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200  # the limit is per address


@pytest.mark.parametrize("url", ENDPOINTS)
def test_the_number_of_queries_does_not_grow_with_the_page(client, organisation, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(page_queries(captured))

    ServiceFactory(organisation=organisation, name="Premier")
    PlaceFactory(service=ServiceFactory(name="Deuxième"))
    few = queries()
    for index in range(6):
        service = ServiceFactory(name=f"Autre {index}", terms__help=["ecoute"])
        PlaceFactory(service=service)
        PhoneFactory(service=service)
    assert queries() == few
