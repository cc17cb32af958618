"""CSV and XLSX exports for people, and the export-services command."""

import csv
import io
import json

import pytest
from data_inclusion.schema.v1 import Service as DIService
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from maillage.core.exports import safe_cell
from maillage.directory.exchange.tabular import services_csv, services_xlsx
from maillage.directory.models import Service

from .factories import ServiceFactory
from .test_export_data_inclusion import build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(organisation):
    return build_directory(organisation)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 2 41", "'+33 2 41"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Angers = ville", "Angers = ville"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_cell_that_looks_like_a_formula_is_escaped(value, expected):
    assert safe_cell(value) == expected


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_csv_has_one_row_per_public_service(directory):
    rows = read_csv(services_csv(Service.objects.visible_to(None)))
    assert [row["Service"] for row in rows] == [
        "3919",
        "Accueil et mise à l'abri",
        "Hébergement confidentiel",
    ]
    shelter = rows[1]
    assert shelter["Structure"] == "Solidarité Femmes 49"
    assert shelter["Commune"] == "Angers"
    assert shelter["Adresse"] == "1 place du Ralliement, 49000 Angers"
    assert shelter["Téléphones"] == "Accueil : 02 41 00 00 01"
    assert shelter["Courriel"] == "accueil@sf49.example.org"
    assert shelter["Vérifié le"] == "01/06/2026"
    assert "Mineurs" in shelter["Publics"]


def test_no_export_for_people_reveals_a_hidden_address_or_a_private_phone(directory):
    services = Service.objects.visible_to(None)
    text = services_csv(services)
    workbook = load_workbook(io.BytesIO(services_xlsx(services)))
    cells = " ".join(str(c.value) for row in workbook.active.iter_rows() for c in row)
    for content in (text, cells):
        assert "Secrète" not in content
        assert "Cachée" not in content
        assert "02 41 99 99 99" not in content
    hidden = next(row for row in read_csv(text) if row["Service"] == "Hébergement confidentiel")
    assert hidden["Commune"] == "Angers"
    assert hidden["Adresse"] == ""


def test_formulas_never_reach_a_spreadsheet(organisation):
    ServiceFactory(organisation=organisation, name='=HYPERLINK("https://evil.test","x")')
    services = Service.objects.visible_to(None)
    (row,) = read_csv(services_csv(services))
    assert row["Service"].startswith("'=")
    workbook = load_workbook(io.BytesIO(services_xlsx(services)))
    cell = workbook.active["A2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("'=")


def test_the_command_exports_data_inclusion_json(directory, capsys):
    call_command("export-services", "--format", "data-inclusion")
    data = json.loads(capsys.readouterr().out)
    assert len(data["services"]) == 3
    for record in data["services"]:
        DIService.model_validate(record)


def test_the_command_writes_each_format_to_a_file(directory, tmp_path):
    for export_format, name in [("hsds", "s.json"), ("csv", "s.csv"), ("xlsx", "s.xlsx")]:
        call_command("export-services", "--format", export_format, "--output", tmp_path / name)
    assert len(json.loads((tmp_path / "s.json").read_text())["services"]) == 3
    assert (tmp_path / "s.csv").read_bytes().startswith(b"\xef\xbb\xbfService;")
    assert load_workbook(tmp_path / "s.xlsx").active["A1"].value == "Service"


def test_the_command_says_in_french_what_is_wrong(directory, tmp_path):
    with pytest.raises(CommandError, match="demande un fichier"):
        call_command("export-services", "--format", "xlsx")
    with pytest.raises(CommandError, match="n'existe pas"):
        call_command("export-services", "--format", "csv", "--output", tmp_path / "no" / "x.csv")
