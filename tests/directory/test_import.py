"""Importing services in the data·inclusion schema: validate everything, then write it all or
nothing, and a second import of the same file changes nothing."""

import io
import json
from datetime import date, datetime, time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maillage.core.models import Commune, Organisation
from maillage.directory.exchange.importer import import_services, parse_opening_hours
from maillage.directory.models import PARIS, OpeningSlot, Place, Service, ServicePhone

from ..factories import CommuneFactory, OrganisationFactory
from .factories import PhoneFactory, PlaceFactory, ServiceFactory, SlotFactory

DATA = Path(__file__).parent / "data"
VALID_JSON = DATA / "services-valides.json"
INVALID_JSON = DATA / "services-invalides.json"
VALID_CSV = DATA / "services-valides.csv"
INVALID_CSV = DATA / "services-invalides.csv"


@pytest.fixture(autouse=True)
def communes(db):
    return [
        CommuneFactory(insee_code="49007", name="Angers", postal_codes=["49000", "49100"]),
        CommuneFactory(insee_code="49015", name="Avrillé", postal_codes=["49240"]),
    ]


def snapshot() -> dict[str, int]:
    """Rows and history rows of everything an import may write."""
    models = [Service, Organisation, Place, ServicePhone, OpeningSlot]
    counts = {m.__name__: m.objects.count() for m in models}
    counts |= {f"{m.__name__} history": m.history.count() for m in models}
    for relation in ("help_types", "publics", "coverage_communes"):
        counts[relation] = getattr(Service, relation).through.objects.count()
    return counts


def run(path, territory, **options):
    options.setdefault("dry_run", False)
    fmt = "csv" if Path(path).suffix == ".csv" else "data-inclusion"
    return import_services(path, format=fmt, territory=territory, **options)


def found(report) -> set[tuple[str, int, str]]:
    return {(e.record, e.row, e.field) for e in report.errors}


def test_invalid_rows_are_each_reported_and_nothing_is_written(territory):
    OrganisationFactory(territory=territory, name="Déjà là")
    before = snapshot()

    report = run(INVALID_JSON, territory)

    assert found(report) == {
        ("service", 2, "courriel"),
        ("service", 3, "nom"),
        ("service", 4, "code_insee"),
        ("service", 5, "structure_id"),
        ("service", 6, "date_maj"),
        ("service", 7, "thematiques"),
        ("structure", 2, "nom"),
        ("structure", 2, "siret"),
    }
    messages = {(e.row, e.field): e.message for e in report.errors if e.record == "service"}
    assert messages[2, "courriel"] == "Adresse électronique invalide : « pas-une-adresse »."
    assert messages[3, "nom"] == "Trop court : au moins 3 caractères."
    assert messages[4, "code_insee"] == "Commune inconnue : code INSEE « 99999 »."
    assert messages[6, "date_maj"] == "Ce champ est obligatoire."
    assert messages[7, "thematiques"] == "Valeur inconnue : « pas-une-thematique »."
    assert str(report.errors[0]) == (
        "Service n° 2, courriel : Adresse électronique invalide : « pas-une-adresse »."
    )
    assert report.invalid_rows == 7
    assert not report.written
    assert (report.created, report.updated) == (0, 0)
    assert snapshot() == before


def test_an_unknown_but_valid_thematique_is_a_warning_not_an_error(territory):
    report = run(VALID_JSON, territory)

    assert report.errors == []
    assert [(w.row, w.field) for w in report.warnings] == [(2, "thematiques")]
    assert "numerique--acceder-a-une-connexion-internet" in report.warnings[0].message
    assert Service.objects.filter(source_id="juridique").exists()


def test_valid_rows_only_writes_the_valid_rows_in_one_go(territory):
    report = run(INVALID_JSON, territory, valid_rows_only=True)

    assert report.written
    assert (report.created, report.skipped) == (1, 7)
    assert list(Service.objects.values_list("source_id", flat=True)) == ["valide"]
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Solidarité Femmes 49"]
    assert len(report.errors) == 8  # still reported


def test_importing_the_same_file_twice_changes_nothing_the_second_time(territory):
    first = run(VALID_JSON, territory)
    after_first = snapshot()

    second = run(VALID_JSON, territory)

    assert (first.created, first.updated, first.structures_created) == (3, 0, 2)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert (second.structures_created, second.structures_updated) == (0, 0)
    assert snapshot() == after_first


def test_created_rows_get_their_history_search_text_and_one_new_search_token(territory):
    from maillage.directory.index import read_token as token
    from maillage.directory.search import document
    from maillage.directory.text import normalise

    OrganisationFactory(territory=territory, name="CIDFF de Maine-et-Loire", acronym="CIDFF")
    before = token()

    run(VALID_JSON, territory)

    assert token() != before  # the search index is rebuilt after the import
    services = Service.objects.select_related("organisation").prefetch_related(
        "violence_types", "help_types", "publics", "places__commune"
    )
    assert len(services) == 3
    for service in services:
        assert service.search_title == f" {normalise(service.name)} "
        assert service.search_text == document(service)
        [record] = service.history.all()
        assert (record.history_type, record.history_change_reason) == ("+", "import data·inclusion")
        assert (record.name, record.organisation_id) == (service.name, service.organisation_id)
    assert "cidff" in Service.objects.get(source_id="juridique").search_text  # the acronym
    place = Place.objects.get()
    assert [(h.history_type, h.commune_id) for h in place.history.all()] == [("+", "49007")]
    assert OpeningSlot.history.count() == OpeningSlot.objects.count() == 10
    after = token()

    run(VALID_JSON, territory)

    assert token() == after  # nothing changed: the index stays


def test_a_changed_row_updates_its_service_and_keeps_history(territory, tmp_path):
    run(VALID_JSON, territory)
    data = json.loads(VALID_JSON.read_text(encoding="utf-8"))
    data["services"][0]["nom"] = "Écoute et orientation"
    data["services"][0]["telephone"] = "02 41 00 00 09"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    history = Service.history.count()

    report = run(changed, territory)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    service = Service.objects.get(source="dora", source_id="ecoute-sf49")
    assert service.name == "Écoute et orientation"
    assert [p.number for p in service.phones.all()] == ["02 41 00 00 09"]
    assert Service.history.count() == history + 1
    assert "orient" in service.search_text  # re-indexed


def test_a_reimport_updates_changed_fields_and_places_only_with_their_history(territory, tmp_path):
    run(VALID_JSON, territory)
    data = json.loads(VALID_JSON.read_text(encoding="utf-8"))
    data["services"][0] |= {
        "frais": "payant",
        "date_maj": "2025-07-02",
        "adresse": "3 place du Ralliement",
        "code_insee": "49015",
        "code_postal": "49240",
        "commune": "Avrillé",
        "latitude": 47.5,
    }
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    service = Service.objects.get(source="dora", source_id="ecoute-sf49")
    histories = (service.history.count(), Place.history.count(), Service.history.count())

    report = run(changed, territory)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    service.refresh_from_db()
    assert (service.is_free, service.last_verified_on) == (False, date(2025, 7, 2))
    assert service.name == "Écoute des femmes victimes de violences"  # unchanged fields stay
    latest = service.history.first()
    assert (latest.history_type, latest.is_free) == ("~", False)
    place = service.places.get()
    assert (place.address, place.commune_id, place.latitude) == (
        "3 place du Ralliement",
        "49015",
        47.5,
    )
    assert place.history.first().history_type == "~"
    assert (service.history.count(), Place.history.count(), Service.history.count()) == (
        histories[0] + 1,
        histories[1] + 1,
        histories[2] + 1,  # one service changed: the two others got no history row
    )


def test_json_fields_map_onto_the_directory(territory):
    run(VALID_JSON, territory)

    ecoute = Service.objects.get(source="dora", source_id="ecoute-sf49")
    assert ecoute.organisation.name == "Solidarité Femmes 49"
    assert ecoute.organisation.territory == territory
    assert ecoute.organisation.siret == "41234567800011"
    assert ecoute.organisation.public_phone == "02 41 00 00 01"
    assert ecoute.status == Service.Status.PUBLISHED
    assert ecoute.last_verified_on == date(2025, 6, 1)
    assert [t.code for t in ecoute.help_types.all()] == ["ecoute"]
    assert sorted(t.code for t in ecoute.publics.all()) == ["femmes", "victimes"]
    assert [p.number for p in ecoute.phones.all()] == ["02 41 00 00 01"]
    assert (ecoute.remote, ecoute.walk_in, ecoute.referral_only) == (True, True, False)
    place = ecoute.places.get()
    assert (place.commune_id, place.latitude, place.hide_address) == ("49007", 47.4712, False)
    assert sorted(c.insee_code for c in ecoute.coverage_communes.all()) == ["49007", "49015"]
    assert ecoute.opening_slots.count() == 10
    assert ecoute.is_open_at(datetime(2025, 6, 2, 10, tzinfo=PARIS)) is True  # a Monday
    assert "ecout" in ecoute.search_text

    juridique = Service.objects.get(source_id="juridique")
    assert [t.code for t in juridique.help_types.all()] == ["information-juridique"]
    assert (juridique.coverage, juridique.coverage_department) == ("department", "49")
    assert not juridique.publics.exists()  # tous-publics

    national = Service.objects.get(source_id="ligne-nationale")
    assert (national.coverage, national.is_24_7) == ("national", True)
    assert [p.number for p in national.phones.all()] == ["3919"]


def test_csv_imports_and_hides_an_address_when_the_extra_column_says_so(territory):
    report = run(VALID_CSV, territory)

    assert report.errors == []
    assert (report.created, report.structures_created) == (2, 1)
    shelter = Place.objects.get(service__source_id="hebergement")
    assert shelter.hide_address is True
    assert (shelter.latitude, shelter.longitude) == (None, None)
    assert [(w.row, w.field) for w in report.warnings] == [(3, "latitude")]
    day_centre = Place.objects.get(service__source_id="accueil")
    assert (day_centre.hide_address, day_centre.latitude) == (False, 47.4712)
    accueil = Service.objects.get(source_id="accueil")
    assert sorted(t.code for t in accueil.publics.all()) == ["femmes", "victimes"]
    assert Service.objects.get(source_id="hebergement").is_24_7
    assert Service.objects.filter(organisation__siret="41234567800011").count() == 2

    again = run(VALID_CSV, territory)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_csv_invalid_rows_are_reported_by_line_and_nothing_is_written(territory):
    before = snapshot()

    report = run(INVALID_CSV, territory)

    assert found(report) == {
        ("row", 3, "telephone"),
        ("row", 4, "date_maj"),
        ("row", 4, "courriel"),
        ("row", 4, "maillage_adresse_confidentielle"),
    }
    assert str(report.errors[1]).startswith("Ligne 4, ")
    messages = {e.field: e.message for e in report.errors}
    assert messages["date_maj"] == "Date invalide : « 01/06/2025 » (attendu AAAA-MM-JJ)."
    assert messages["maillage_adresse_confidentielle"] == "Indiquez oui ou non."
    assert snapshot() == before


def test_an_import_never_unhides_an_address_a_coordinator_has_hidden(territory):
    run(VALID_JSON, territory)
    Place.objects.filter(service__source_id="ecoute-sf49").update(
        hide_address=True, latitude=None, longitude=None
    )

    report = run(VALID_JSON, territory)

    place = Place.objects.get(service__source_id="ecoute-sf49")
    assert (place.hide_address, place.latitude) == (True, None)
    assert report.unchanged == 3


def test_a_dry_run_counts_what_it_would_do_and_writes_nothing(territory):
    before = snapshot()

    report = run(VALID_JSON, territory, dry_run=True)

    assert (report.created, report.structures_created, report.written) == (3, 2, False)
    assert snapshot() == before


def test_a_service_of_another_territory_is_not_touched(territory, foreign_organisation):
    ServiceFactory(organisation=foreign_organisation, source="dora", source_id="juridique")

    report = run(VALID_JSON, territory)

    assert ("service", 2, "id") in found(report)
    assert not report.written
    assert Service.objects.get(source_id="juridique").organisation == foreign_organisation


def test_a_services_only_list_refers_to_organisations_by_our_own_id(territory, organisation):
    services = json.loads(VALID_JSON.read_text(encoding="utf-8"))["services"][2:]
    services[0]["structure_id"] = f"maillage--{organisation.pk}"
    upload = io.BytesIO(json.dumps(services).encode())

    report = import_services(upload, format="data-inclusion", territory=territory, dry_run=False)

    assert report.created == 1
    assert Service.objects.get(source_id="ligne-nationale").organisation == organisation
    assert not upload.closed  # the caller's file is left open


def test_a_file_that_is_not_json_is_one_clear_error(territory):
    report = import_services(
        io.BytesIO(b"nom;description\n"),
        format="data-inclusion",
        territory=territory,
        dry_run=False,
    )

    assert [(e.record, e.row) for e in report.errors] == [("file", 0)]
    assert report.errors[0].message.startswith("Ce fichier n'est pas du JSON data·inclusion")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24/7", (True, [], [])),
        (
            "Mo,We 09:00-12:00; PH off",
            (False, [(0, time(9), time(12)), (2, time(9), time(12))], []),
        ),
        (
            "Sa-Su 20:00-24:00",
            (False, [(5, time(20), time(23, 59)), (6, time(20), time(23, 59))], []),
        ),
        ("Mo-Fr 22:00-06:00", None),
        ("sunrise-sunset", None),
        (
            "Th 09:00-17:00; 2026 Dec 24 14:00-16:00,09:00-12:00; 2027 Jan 01 off",
            (
                False,
                [(3, time(9), time(17))],
                [
                    (date(2026, 12, 24), time(9), time(12)),
                    (date(2026, 12, 24), time(14), time(16)),
                    (date(2027, 1, 1), None, None),
                ],
            ),
        ),
        (
            "24/7; 2026 Dec 25 off; 2026 Dec 28-2026 Dec 30 off",
            (True, [], [(date(2026, 12, 25), None, None)]),
        ),
        (
            "Mo 09:00-12:00; 2026 Dec 24 off; 2026 Dec 24 10:00-11:00",  # the later rule wins
            (False, [(0, time(9), time(12))], [(date(2026, 12, 24), time(10), time(11))]),
        ),
        (
            "2026 Dec 24 off; Th 09:00-12:00",  # a later weekly rule overrides the date too
            (False, [(3, time(9), time(12))], []),
        ),
        ("Mo 09:00-12:00; 2026 Dec 24 09:00-12:00,11:00-13:00", None),  # overlapping
        ("Mo 09:00-12:00; 2026 Dec 24-2026 Dec 26 09:00-12:00", None),
        ("Mo 09:00-12:00; 2026 Feb 30 09:00-12:00", None),
    ],
)
def test_opening_hours_are_read_from_the_openstreetmap_subset(text, expected):
    assert parse_opening_hours(text) == expected


def test_command_reports_invalid_rows_in_french_and_exits_non_zero(territory, capsys):
    with pytest.raises(CommandError) as error:
        call_command(
            "import-services", str(INVALID_JSON), "--format", "data-inclusion",
            "--territory", territory.slug,
        )  # fmt: skip

    out = capsys.readouterr().out
    assert error.value.returncode == 1
    assert "Rien n'a été enregistré" in str(error.value)
    assert "Erreur — Service n° 2, courriel : Adresse électronique invalide" in out
    assert "Erreur — Structure n° 2, siret : Trop court : au moins 14 caractères." in out
    assert "9 lignes lues, 7 invalides" in out
    assert not Service.objects.exists()


def test_command_imports_a_valid_file_and_prints_the_counts(territory, capsys):
    call_command(
        "import-services", str(VALID_CSV), "--format", "csv", "--territory", territory.slug
    )

    out = capsys.readouterr().out
    assert "Services : 2 créés, 0 mis à jour, 0 inchangés" in out
    assert "Structures : 1 créées" in out
    assert Service.objects.count() == 2


def test_command_valid_rows_only_writes_the_rest(territory, capsys):
    call_command(
        "import-services", str(INVALID_CSV), "--format", "csv", "--territory", territory.slug,
        "--valid-rows-only",
    )  # fmt: skip

    assert "Services : 1 créés" in capsys.readouterr().out
    assert list(Service.objects.values_list("source_id", flat=True)) == ["ok"]


def test_command_refuses_an_unknown_territory(db):
    with pytest.raises(CommandError, match="Territoire inconnu"):
        call_command(
            "import-services", str(VALID_CSV), "--format", "csv", "--territory", "nulle-part"
        )


def test_export_then_import_into_an_empty_directory_gives_the_same_records(territory, tmp_path):
    from maillage.directory.exchange.data_inclusion import export_data_inclusion

    angers = Organisation.objects.create(
        territory=territory, name="Solidarité Femmes 49", kind=Organisation.Kind.ASSOCIATION,
        siret="41234567800011", commune_id="49007", address="1 rue de la Paix",
        public_phone="02 41 00 00 01", website="https://sf49.example.org",
    )  # fmt: skip
    cidff = OrganisationFactory(territory=territory, name="CIDFF 49")
    ecoute = ServiceFactory(
        organisation=angers, name="Écoute", description="Écoute et orientation.",
        walk_in=True, remote=True, is_anonymous=True, by_appointment=True,
        email="ecoute@example.org", website="https://sf49.example.org/ecoute",
        terms__help=["ecoute"], terms__publics=["femmes", "victimes"],
    )  # fmt: skip
    PlaceFactory(service=ecoute, commune=Commune.objects.get(pk="49007"))
    PhoneFactory(service=ecoute, number="02 41 00 00 02")
    SlotFactory(service=ecoute, weekday=1, opens="14:00", closes="17:30")
    ecoute.coverage_communes.set(["49007", "49015"])
    shelter = ServiceFactory(
        organisation=angers, name="Hébergement", description="Mise à l'abri.",
        referral_only=True, is_free=False, terms__help=["hebergement-urgence"],
    )  # fmt: skip
    PlaceFactory(service=shelter, hide_address=True, latitude=None, longitude=None)
    ServiceFactory(
        organisation=cidff, name="Ligne d'écoute", description="Au téléphone.",
        coverage=Service.Coverage.NATIONAL, is_24_7=True, terms__help=["information-juridique"],
    )  # fmt: skip
    exported = export_data_inclusion(Service.objects.all())
    assert {s["nom"] for s in exported["services"]} == {"Écoute", "Hébergement", "Ligne d'écoute"}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    Service.objects.all().delete()
    Organisation.objects.all().delete()

    report = run(path, territory)
    again = export_data_inclusion(Service.objects.all())

    assert (report.errors, report.created) == ([], 3)

    def without_ids(export):  # organisations are new rows: their `maillage--<pk>` changes
        names = {s["id"]: s["nom"] for s in export["structures"]}
        return {
            "structures": [{**s, "id": s["nom"]} for s in export["structures"]],
            "services": [
                {**s, "structure_id": names[s["structure_id"]]} for s in export["services"]
            ],
        }

    assert without_ids(again) == without_ids(exported)


def test_a_first_import_reads_no_service_back_and_a_reimport_reads_only_its_own(territory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def service_reads(context) -> list[str]:
        return [
            q["sql"]
            for q in context.captured_queries
            if q["sql"].startswith("SELECT") and 'FROM "directory_service" ' in q["sql"]
        ]

    with CaptureQueriesContext(connection) as first:
        run(VALID_JSON, territory)
    with CaptureQueriesContext(connection) as second:
        report = run(VALID_JSON, territory)

    # Validation asks once which services exist; the first import then reads nothing back.
    assert len(service_reads(first)) == 1
    assert len(service_reads(second)) == 2
    assert report.created == 0 and report.unchanged == Service.objects.count() > 0


@pytest.mark.django_db(transaction=True)
def test_a_large_import_refreshes_the_planner_statistics_on_postgresql(territory, monkeypatch):
    from django.db import connection

    from maillage.directory.exchange import importer

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's statistics are left alone (ANALYZE reads all)")
    monkeypatch.setattr(importer, "ANALYSE_FROM", 1)  # the demo file is small

    run(VALID_JSON, territory)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
            " AND relname IN ('directory_service', 'directory_openingslot',"
            " 'directory_service_coverage_communes')"
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "directory_service",
            "directory_openingslot",
            "directory_service_coverage_communes",
        }
