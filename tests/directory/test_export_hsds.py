"""The HSDS 3.0 export: strictly valid against the Open Referral schemas, hidden addresses kept."""

import json
from datetime import date, time
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from maillage.directory.exchange.hsds import (
    export_hsds,
    opening_hours,
    organization_record,
    service_record,
)
from maillage.directory.models import Closure, Service

from .factories import ExceptionFactory, ServiceFactory, SlotFactory
from .test_export_data_inclusion import build_directory

HSDS = Path("/work/shared/reference/hsds-3/compiled")


def strict(schema):
    """additionalProperties: false everywhere, as the upstream checks run the schemas."""
    if isinstance(schema, dict):
        if "properties" in schema:
            schema["additionalProperties"] = False
        for value in schema.values():
            strict(value)
    elif isinstance(schema, list):
        for value in schema:
            strict(value)
    return schema


@cache
def validator(name: str) -> Draft202012Validator:
    schema = strict(json.loads((HSDS / name).read_text()))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def hsds_errors(name: str, record: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(name).iter_errors(record)
    ]


def assert_valid_service(record):
    assert hsds_errors("service_with_definitions.json", record) == []


def assert_valid_organization(record):
    assert hsds_errors("organization.json", record) == []


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not HSDS.is_dir(), reason="HSDS schemas missing"),
]


@pytest.fixture
def directory(organisation):
    return build_directory(organisation)


def test_the_strict_validator_refuses_what_hsds_does_not_know(directory):
    record = service_record(directory["shelter"])
    assert hsds_errors("service_with_definitions.json", {**record, "saturation": "low"})
    assert hsds_errors("service_with_definitions.json", {**record, "id": "not-a-uuid"})
    organization = organization_record(directory["shelter"].organisation)
    assert hsds_errors("organization.json", {**organization, "siret": "77567227200038"})


def test_every_exported_record_is_strictly_valid(directory):
    data = export_hsds(Service.objects.visible_to(None))
    assert len(data["services"]) == 3
    assert len(data["organizations"]) == 2
    for record in data["services"]:
        assert_valid_service(record)
    for record in data["organizations"]:
        assert_valid_organization(record)


def test_a_service_has_its_locations_phones_schedules_and_terms(directory):
    shelter = directory["shelter"]
    record = service_record(shelter)
    assert record["id"] == str(shelter.pk)
    assert record["status"] == "active"
    assert [p["number"] for p in record["phones"]] == ["02 41 00 00 01", "06 12 34 56 78"]
    assert record["phones"][1]["type"] == "text"
    schedules = {(s["byday"], s["opens_at"], s["closes_at"]) for s in record["schedules"]}
    assert schedules == {("MO,WE", "09:00", "12:00"), ("TU", "14:00", "17:30")}
    assert {s["description"] for s in record["schedules"]} == {
        "Mo,We 09:00-12:00",
        "Tu 14:00-17:30",
    }
    locations = [sal["location"] for sal in record["service_at_locations"]]
    public = next(loc for loc in locations if loc.get("name") == "Accueil de jour")
    assert public["addresses"][0]["address_1"] == "1 place du Ralliement"
    assert public["addresses"][0]["postal_code"] == "49000"
    assert public["latitude"] == pytest.approx(47.4712)
    assert any(loc["location_type"] == "virtual" for loc in locations)
    codes = {a["taxonomy_term"]["code"] for a in record["attributes"]}
    assert {"ecoute", "hebergement-urgence", "conjugales", "victimes"} <= codes
    assert {lang["code"] for lang in record["languages"]} == {"fr", "fsl"}
    assert record["minimum_age"] == 16
    assert record["assured_date"] == "2026-06-01"
    assert "Fermeture pour travaux." in record["alert"]
    assert record["organization"]["name"] == "Solidarité Femmes 49"
    assert_valid_service(record)


def test_hidden_addresses_never_leave(directory):
    text = json.dumps(export_hsds(Service.objects.visible_to(None)))
    assert "Secrète" not in text
    assert "Cachée" not in text
    record = service_record(directory["hidden"])
    (location,) = [sal["location"] for sal in record["service_at_locations"]]
    assert "addresses" not in location
    assert "latitude" not in location and "longitude" not in location
    assert location["external_identifier"] == "49007"
    assert "Angers" in location["name"]


def test_ids_are_stable_from_one_export_to_the_next(directory):
    first = export_hsds(Service.objects.visible_to(None))
    second = export_hsds(Service.objects.visible_to(None))
    assert first == second


def test_an_organization_keeps_its_siret(organisation, directory):
    record = organization_record(organisation)
    (identifier,) = record["organization_identifiers"]
    assert identifier["identifier"] == "77567227200038"
    assert record["locations"][0]["addresses"][0]["city"] == "Angers"
    assert_valid_organization(record)


def test_a_24_7_service_has_one_schedule_every_day(directory):
    (schedule,) = service_record(directory["national"])["schedules"]
    assert schedule["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    assert schedule["description"] == "24/7"


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ([], ""),
        ([(0, "09:00", "12:00"), (2, "09:00", "12:00"), (1, "14:00", "17:30")],
         "Mo,We 09:00-12:00; Tu 14:00-17:30"),
        ([(d, "09:00", "17:00") for d in range(5)], "Mo-Fr 09:00-17:00"),
        ([(0, "09:00", "12:00"), (0, "14:00", "17:00"), (1, "09:00", "12:00"),
          (1, "14:00", "17:00"), (5, "10:00", "12:00")],
         "Mo,Tu 09:00-12:00,14:00-17:00; Sa 10:00-12:00"),
        ([(4, "09:00", "12:00"), (5, "09:00", "12:00"), (6, "09:00", "12:00"),
          (0, "09:00", "12:00")],
         "Mo,Fr-Su 09:00-12:00"),
    ],
)  # fmt: skip
def test_opening_hours_in_the_openstreetmap_syntax(slots, expected):
    service = ServiceFactory()
    for weekday, opens, closes in slots:
        SlotFactory(service=service, weekday=weekday, opens=opens, closes=closes)
    assert opening_hours(service) == expected


def test_opening_hours_24_7_and_closures():
    service = ServiceFactory(is_24_7=True)
    assert opening_hours(service) == "24/7"
    Closure.objects.create(service=service, starts_on=date(2030, 12, 24), ends_on=date(2031, 1, 2))
    Closure.objects.create(service=service, starts_on=date(2030, 5, 1), ends_on=date(2030, 5, 1))
    Closure.objects.create(service=service, starts_on=date(2020, 5, 1), ends_on=date(2020, 5, 2))
    assert opening_hours(service, today=date(2030, 1, 1)) == (
        "24/7; 2030 May 01 off; 2030 Dec 24-2031 Jan 02 off"
    )


def test_slot_times_are_written_without_seconds():
    service = ServiceFactory()
    SlotFactory(service=service, weekday=6, opens=time(8, 30), closes=time(23, 45))
    assert opening_hours(service) == "Su 08:30-23:45"


def test_exceptions_are_dated_rules_after_the_weekly_ones():
    service = ServiceFactory()
    for weekday in range(5):
        SlotFactory(service=service, weekday=weekday, opens=time(9), closes=time(17))
    ExceptionFactory(service=service, on=date(2027, 1, 1), opens=None, closes=None)
    ExceptionFactory(service=service, on=date(2026, 12, 24), opens=time(14), closes=time(16))
    ExceptionFactory(service=service, on=date(2026, 12, 24), opens=time(9), closes=time(12))
    ExceptionFactory(service=service, on=date(2026, 11, 11), opens=None, closes=None)  # past
    # A closure wins over an exception on its days: the exception is left out.
    Closure.objects.create(
        service=service, starts_on=date(2026, 12, 28), ends_on=date(2026, 12, 30)
    )
    ExceptionFactory(service=service, on=date(2026, 12, 29), opens=time(10), closes=time(11))

    assert opening_hours(service, today=date(2026, 12, 1)) == (
        "Mo-Fr 09:00-17:00; 2026 Dec 24 09:00-12:00,14:00-16:00; "
        "2026 Dec 28-2026 Dec 30 off; 2027 Jan 01 off"
    )


def test_a_24_7_service_with_exceptions():
    service = ServiceFactory(is_24_7=True)
    ExceptionFactory(service=service, on=date(2026, 12, 25), opens=None, closes=None)
    ExceptionFactory(service=service, on=date(2026, 12, 24), opens=time(8), closes=time(13))

    assert opening_hours(service, today=date(2026, 12, 1)) == (
        "24/7; 2026 Dec 24 08:00-13:00; 2026 Dec 25 off"
    )


def test_exceptions_alone_give_no_opening_hours():
    """A dated rule alone would say "closed every other day": nothing is written."""
    service = ServiceFactory()
    ExceptionFactory(service=service, on=date(2026, 12, 24))
    assert opening_hours(service, today=date(2026, 12, 1)) == ""


def test_exceptions_are_hsds_schedules_valid_on_their_date(directory):
    shelter = directory["shelter"]
    ExceptionFactory(
        service=shelter, on=date(2026, 12, 24), opens=time(9), closes=time(12),
        notice="Veille de Noël",
    )  # fmt: skip
    ExceptionFactory(service=shelter, on=date(2027, 1, 1), opens=None, closes=None)
    ExceptionFactory(service=shelter, on=date(2026, 11, 2), opens=None, closes=None)  # past

    record = service_record(shelter, today=date(2026, 12, 1))

    dated = [s for s in record["schedules"] if "valid_from" in s]
    assert [
        (s["valid_from"], s["valid_to"], s["dtstart"], s["byday"], s.get("opens_at"),
         s.get("closes_at"), s["description"])
        for s in dated
    ] == [
        ("2026-12-24", "2026-12-24", "2026-12-24", "TH", "09:00", "12:00",
         "2026 Dec 24 09:00-12:00"),
        ("2027-01-01", "2027-01-01", "2027-01-01", "FR", None, None, "2027 Jan 01 off"),
    ]  # fmt: skip
    assert all(s["count"] == 1 and s["freq"] == "WEEKLY" for s in dated)
    assert dated[0]["notes"].endswith("Veille de Noël")
    assert dated[1]["notes"].startswith("Fermé toute la journée")
    assert len(record["schedules"]) == 4  # the two weekly ones stay
    assert_valid_service(record)
    data = export_hsds(Service.objects.visible_to(None))
    for service in data["services"]:
        assert_valid_service(service)
