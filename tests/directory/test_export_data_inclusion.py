"""The data·inclusion export: every record validates with the schema's own pydantic models.

`build_directory` is also used by the other export tests and the API tests.
"""

import io
import json
from datetime import date, time, timedelta

import pytest
from data_inclusion.schema.v1 import Service as DIService
from data_inclusion.schema.v1 import Structure as DIStructure
from django.utils import timezone

from maillage.directory.exchange.data_inclusion import (
    export_data_inclusion,
    service_record,
    structure_record,
)
from maillage.directory.exchange.hsds import OSM_MONTHS, opening_hours
from maillage.directory.models import Closure, OpeningException, Service, Visibility

from ..factories import CommuneFactory, OrganisationFactory
from .factories import ExceptionFactory, PhoneFactory, PlaceFactory, ServiceFactory, SlotFactory

pytestmark = pytest.mark.django_db

STRICT = {"ignore_warnings": False}  # the schema's warnings (a name ending with a dot) fail too


def build_directory(organisation):
    """A rich service with a public and a hidden place, a national 24/7 line, a draft."""
    angers = CommuneFactory(
        insee_code="49007", name="Angers", department="49", postal_codes=["49000", "49100"]
    )
    organisation.siret = "77567227200038"
    organisation.address = "5 rue des Lices"
    organisation.commune = angers
    organisation.website = "https://solidaritefemmes49.example.org"
    organisation.public_phone = "02 41 00 00 10"
    organisation.public_email = "contact@sf49.example.org"
    organisation.description = "Association d'accueil et d'hébergement des femmes victimes."
    organisation.save()
    shelter = ServiceFactory(
        organisation=organisation,
        name="Accueil et mise à l'abri",
        summary="Écoute, accueil de jour, hébergement d'urgence.",
        description="Accueil de jour sans rendez-vous et hébergement d'urgence pour les femmes.",
        terms__help=["ecoute", "hebergement-urgence"],
        terms__violence=["conjugales"],
        terms__publics=["victimes", "mineurs"],
        terms__languages=["fr", "lsf"],
        email="accueil@sf49.example.org",
        website="https://sf49.example.org/accueil",
        walk_in=True,
        by_appointment=True,
        remote=True,
        chat_url="https://sf49.example.org/tchat",
        sms_number="06 12 34 56 78",
        age_min=16,
        age_max=25,
        gender=Service.Gender.WOMEN,
        minors_accepted=True,
        wheelchair_accessible=True,
        last_verified_on=date(2026, 6, 1),
        coverage=Service.Coverage.COMMUNES,
    )
    shelter.coverage_communes.set([angers])
    PhoneFactory(service=shelter, label="Accueil", number="02 41 00 00 01")
    PhoneFactory(service=shelter, number="02 41 99 99 99", visibility=Visibility.PROFESSIONALS)
    PlaceFactory(service=shelter, name="Accueil de jour", commune=angers)
    PlaceFactory(
        service=shelter,
        name="Hébergement",
        address="12 rue Secrète",
        postal_code="49100",
        commune=angers,
        latitude=None,
        longitude=None,
        hide_address=True,
    )
    SlotFactory(service=shelter, weekday=0, opens=time(9), closes=time(12))
    SlotFactory(service=shelter, weekday=2, opens=time(9), closes=time(12))
    SlotFactory(service=shelter, weekday=1, opens=time(14), closes=time(17, 30))
    today = timezone.localdate()
    Closure.objects.create(
        service=shelter,
        starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=12),
        notice="Fermeture pour travaux.",
    )
    hidden = ServiceFactory(
        organisation=organisation,
        name="Hébergement confidentiel",
        terms__help=["hebergement-urgence"],
    )
    PlaceFactory(
        service=hidden,
        name="",
        address="8 impasse Cachée",
        postal_code="49100",
        commune=angers,
        latitude=None,
        longitude=None,
        hide_address=True,
    )
    national = ServiceFactory(
        organisation=OrganisationFactory(territory=organisation.territory, name="FNSF"),
        name="3919",
        coverage=Service.Coverage.NATIONAL,
        is_24_7=True,
        remote=True,
        is_anonymous=True,
        terms__help=["ecoute"],
    )
    PhoneFactory(service=national, number="3919")
    draft = ServiceFactory(organisation=organisation, name="Brouillon", status="draft")
    return {"shelter": shelter, "hidden": hidden, "national": national, "draft": draft}


@pytest.fixture
def directory(organisation):
    return build_directory(organisation)


def test_every_exported_record_validates_with_the_schema(directory):
    data = export_data_inclusion(Service.objects.visible_to(None), base_url="https://x.test")
    assert len(data["structures"]) == 2
    assert len(data["services"]) == 3
    for record in data["structures"]:
        DIStructure.model_validate(record, context=STRICT)
    for record in data["services"]:
        DIService.model_validate(record, context=STRICT)
    structure_ids = {s["id"] for s in data["structures"]}
    assert {s["structure_id"] for s in data["services"]} <= structure_ids
    json.dumps(data)  # plain JSON types only


def test_a_service_record_carries_what_the_schema_holds(directory):
    shelter = directory["shelter"]
    record = service_record(shelter, link="https://x.test/annuaire/s/")
    assert record["id"] == f"maillage--{shelter.pk}"
    assert record["source"] == "maillage"
    assert record["structure_id"] == f"maillage--{shelter.organisation_id}"
    assert set(record["thematiques"]) == {
        "famille--surmonter-conflits-separation-violence",
        "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    }
    assert record["type"] == "information"
    assert set(record["publics"]) == {"personnes-en-situation-durgence", "jeunes", "femmes"}
    assert "De 16 à 25 ans" in record["publics_precisions"]
    assert record["frais"] == "gratuit"
    assert set(record["modes_accueil"]) == {"en-presentiel", "a-distance"}
    assert set(record["modes_mobilisation"]) == {
        "telephoner",
        "envoyer-un-courriel",
        "se-presenter",
        "utiliser-lien-mobilisation",
    }
    assert record["telephone"] == "+33241000001"
    assert record["courriel"] == "accueil@sf49.example.org"
    assert record["adresse"] == "1 place du Ralliement"
    assert record["code_insee"] == "49007"
    assert record["latitude"] == pytest.approx(47.4712)
    assert record["zone_eligibilite"] == ["49007"]
    assert record["horaires_accueil"].startswith("Mo,We 09:00-12:00; Tu 14:00-17:30; ")
    assert record["horaires_accueil"].endswith(" off")
    assert record["lien_source"] == "https://x.test/annuaire/s/"
    assert record["date_maj"] == "2026-06-01"  # the day it was last verified
    DIService.model_validate(record, context=STRICT)


def test_professional_only_contacts_and_services_stay_out(directory):
    shelter = directory["shelter"]
    shelter.email_visibility = Visibility.PROFESSIONALS
    shelter.save()
    ServiceFactory(name="Ligne des professionnels", visibility=Visibility.PROFESSIONALS)
    data = export_data_inclusion(Service.objects.visible_to(None))
    text = json.dumps(data)
    assert "02 41 99 99 99" not in text and "+33241999999" not in text
    assert "accueil@sf49.example.org" not in text
    assert "Ligne des professionnels" not in text
    assert "Brouillon" not in text


def test_a_hidden_address_leaves_only_its_commune(directory):
    record = service_record(directory["hidden"])
    assert record["commune"] == "Angers"
    assert record["code_insee"] == "49007"
    for key in ("adresse", "code_postal", "latitude", "longitude", "complement_adresse"):
        assert key not in record
    text = json.dumps(export_data_inclusion(Service.objects.visible_to(None)))
    assert "Cachée" not in text
    assert "Secrète" not in text


def test_a_national_line_is_eligible_everywhere_and_open_all_the_time(directory):
    record = service_record(directory["national"])
    assert record["zone_eligibilite"] == ["france"]
    assert record["horaires_accueil"] == "24/7"
    assert record["telephone"] == "3919"
    assert record["publics"] == ["tous-publics"]
    assert record["modes_accueil"] == ["a-distance"]
    assert len(record["nom"]) >= 3
    DIService.model_validate(record, context=STRICT)


def test_a_structure_keeps_its_siret_and_public_contacts(directory, organisation):
    record = structure_record(organisation)
    assert record["id"] == f"maillage--{organisation.pk}"
    assert record["siret"] == "77567227200038"
    assert record["telephone"] == "+33241000010"
    assert record["code_insee"] == "49007"
    assert "code_postal" not in record  # Angers has two: we cannot tell which
    DIStructure.model_validate(record, context=STRICT)


def test_an_imported_service_goes_back_out_under_its_source_id(organisation):
    service = ServiceFactory(organisation=organisation, source="dora", source_id="abc-42")
    assert service_record(service)["id"] == "dora--abc-42"
    assert service_record(service)["source"] == "dora"


def weekly(hours: str) -> str:
    return "; ".join(rule for rule in hours.split("; ") if not rule.endswith(" off"))


def test_a_round_trip_through_the_importer_keeps_what_the_schema_holds(directory, territory):
    """Export, delete, import, export again: the same records, but for free-text precisions
    built from fields the schema cannot hold, and dated closures (the importer reads weekly
    hours only)."""
    from maillage.directory.exchange.importer import import_services

    before = export_data_inclusion(Service.objects.visible_to(None))
    Service.objects.all().delete()
    report = import_services(
        io.StringIO(json.dumps(before)),
        format="data-inclusion",
        territory=territory,
        dry_run=False,
    )
    assert report.written, report
    after = export_data_inclusion(Service.objects.visible_to(None))
    assert after["structures"] == before["structures"]
    old = {s["id"]: s for s in before["services"]}
    new = {s["id"]: s for s in after["services"]}
    assert set(old) == set(new)
    for sid, record in old.items():
        for key in set(record) | set(new[sid]):
            if key in ("publics_precisions", "mobilisation_precisions"):
                continue
            if key == "horaires_accueil":
                assert weekly(new[sid][key]) == weekly(record[key])
            else:
                assert new[sid].get(key) == record.get(key), (record["nom"], key)
    assert new[f"maillage--{directory['hidden'].pk}"]["maillage_adresse_confidentielle"] is True
    assert "adresse" not in new[f"maillage--{directory['hidden'].pk}"]


def without_closures(hours: str) -> str:
    """The rules the importer reads back: dated ranges "off" (closures) left out."""
    return "; ".join(
        rule for rule in hours.split("; ") if not (rule.endswith(" off") and "-" in rule)
    )


def test_exceptional_hours_go_out_and_come_back_the_same(directory, territory):
    from maillage.directory.exchange.importer import import_services

    today = timezone.localdate()
    shelter, national = directory["shelter"], directory["national"]
    ExceptionFactory(service=shelter, on=today + timedelta(days=20), opens=time(9), closes=time(11))
    ExceptionFactory(
        service=shelter, on=today + timedelta(days=20), opens=time(14), closes=time(15)
    )
    ExceptionFactory(service=shelter, on=today + timedelta(days=25), opens=None, closes=None)
    Closure.objects.create(
        service=shelter, starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=30)
    )
    ExceptionFactory(service=national, on=today + timedelta(days=21), opens=None, closes=None)
    before = export_data_inclusion(Service.objects.visible_to(None))
    hours = {s["nom"]: s.get("horaires_accueil", "") for s in before["services"]}
    day = today + timedelta(days=21)
    assert hours["3919"] == f"24/7; {day.year} {OSM_MONTHS[day.month - 1]} {day.day:02d} off"
    assert hours["Accueil et mise à l'abri"] == opening_hours(
        Service.objects.get(pk=shelter.pk)
    )  # data·inclusion carries the OpenStreetMap string of hsds.py
    assert len(hours["Accueil et mise à l'abri"].split("; ")) == 6  # 2 weekly, 4 dated

    Service.objects.all().delete()
    for _ in range(2):  # the second import changes nothing
        report = import_services(
            io.StringIO(json.dumps(before)),
            format="data-inclusion",
            territory=territory,
            dry_run=False,
        )
    assert report.unchanged == 3, report
    after = export_data_inclusion(Service.objects.visible_to(None))

    old = {s["id"]: without_closures(s.get("horaires_accueil", "")) for s in before["services"]}
    new = {s["id"]: s.get("horaires_accueil", "") for s in after["services"]}
    assert new == old
    assert OpeningException.objects.count() == 5  # the one-day closure came back as one
