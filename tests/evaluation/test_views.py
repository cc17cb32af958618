"""The dashboard, the indicators and their entered values, the review and its exports, seen by
the coordination of the territory; nobody else."""

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from maillage.evaluation.models import Indicator, IndicatorValue

from ..factories import ContractFactory, OrganisationFactory, SignatureFactory
from .factories import IndicatorFactory


@pytest.fixture
def indicators(contract, priorities, organisation):
    return {
        "people": IndicatorFactory(
            contract=contract,
            code="personnes-formees",
            title="Personnes formées",
            priority=priorities[0],
            is_headline=True,
        ),
        "orientations": IndicatorFactory(
            contract=contract,
            code="orientations",
            title="Orientations reçues",
            entered=True,
            priority=priorities[2],
            responsible=organisation,
            target=Decimal(400),
        ),
    }


def urls(contract):
    pk = contract.pk
    return [
        reverse("evaluation:dashboard", args=[pk]),
        reverse("evaluation:review", args=[pk]),
        reverse("evaluation:review_pdf", args=[pk]),
        reverse("evaluation:review_json", args=[pk]),
        reverse("evaluation:review_table", args=[pk, "resultats", "csv"]),
        reverse("evaluation:copil", args=[pk]),
        reverse("evaluation:indicator_add", args=[pk]),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, contract):
    for url in urls(contract):
        response = client.get(url)
        assert response.status_code == 302
        assert "/compte/login/" in response["Location"]


def test_another_territorys_coordinator_gets_404(login, contract, other_coordinator, indicators):
    client = login(other_coordinator)
    for url in urls(contract):
        assert client.get(url).status_code == 404, url
    indicator = indicators["orientations"]
    assert client.get(indicator.get_absolute_url()).status_code == 404


def test_a_referent_sees_only_the_indicators_of_their_organisation(
    login, contract, referent, other_referent, indicators
):
    client = login(referent)
    assert client.get(reverse("evaluation:dashboard", args=[contract.pk])).status_code == 404
    home = client.get(reverse("evaluation:home")).content.decode()
    assert "Orientations reçues" in home
    assert client.get(indicators["orientations"].get_absolute_url()).status_code == 200
    assert client.get(indicators["people"].get_absolute_url()).status_code == 404
    other = login(other_referent)
    assert other.get(indicators["orientations"].get_absolute_url()).status_code == 404
    assert other.get(reverse("evaluation:home")).status_code == 403


def test_the_dashboard_shows_indicators_progress_and_charts_with_their_tables(
    login, coordinator, contract, indicators, held_session, attend, django_assert_max_num_queries
):
    session = held_session(day=date(2025, 3, 3))
    for _ in range(3):
        attend(session)
    client = login(coordinator)
    url = reverse("evaluation:dashboard", args=[contract.pk])
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert 'data-value="personnes-formees">3 personnes' in html
    assert '<progress max="100" value="1"' in html  # 3 of 200
    assert "<svg" in html
    table = html.split('data-table="personnes-formees"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">2025</th><td>3</td>' in table
    assert '<th scope="row">2024</th><td>0</td>' in table

    attend(session)
    html = client.get(url).content.decode()
    assert 'data-value="personnes-formees">4 personnes' in html

    # Many more indicators: the number of queries stays bounded.
    for number in range(10):
        IndicatorFactory(contract=contract, entered=True, code=f"saisi-{number}")
    with django_assert_max_num_queries(20):
        client.get(url)


def test_a_referent_enters_a_value_and_the_history_keeps_the_previous_one(
    login, referent, indicators
):
    indicator = indicators["orientations"]
    client = login(referent)
    data = {"period_start": "2025-01-01", "period_end": "2025-12-31", "value": "312"}
    response = client.post(indicator.get_absolute_url(), data)
    assert response.status_code == 302
    client.post(indicator.get_absolute_url(), {**data, "value": "356", "comment": "corrigé"})
    value = IndicatorValue.objects.get(indicator=indicator)
    assert value.value == Decimal(356)
    assert value.entered_by == referent
    assert [h.value for h in value.history.order_by("history_date")] == [312, 356]
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert 'data-table="historique"' in html
    assert "312" in html and "356" in html

    # A period that ends before it starts is refused, nothing written.
    bad = {"period_start": "2025-12-31", "period_end": "2025-01-01", "value": "1"}
    response = client.post(indicator.get_absolute_url(), bad)
    assert response.status_code == 200
    assert "La fin de la période doit suivre son début." in response.content.decode()
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1


def test_nobody_enters_a_value_for_a_computed_indicator_nor_for_another_organisation(
    login, referent, other_referent, coordinator, indicators
):
    data = {"period_start": "2025-01-01", "period_end": "2025-12-31", "value": "5"}
    computed = indicators["people"]
    assert login(coordinator).post(computed.get_absolute_url(), data).status_code == 403
    other = login(other_referent)
    assert other.post(indicators["orientations"].get_absolute_url(), data).status_code == 404
    assert not IndicatorValue.objects.exists()


def test_the_coordinator_defines_an_indicator(login, coordinator, contract, priorities):
    client = login(coordinator)
    url = reverse("evaluation:indicator_add", args=[contract.pk])
    data = {
        "code": "sessions",
        "title": "Sessions réalisées",
        "unit": "sessions",
        "level": "output",
        "priority": priorities[0].pk,
        "source": "computed",
        "computation": "",
        "frequency": "yearly",
        "target": "16",
        "position": "0",
    }
    response = client.post(url, data)
    assert "Un indicateur calculé doit préciser son calcul." in response.content.decode()
    response = client.post(url, {**data, "computation": "sessions_held"})
    assert response.status_code == 302
    indicator = Indicator.objects.get(contract=contract, code="sessions")
    assert indicator.computation == "sessions_held"
    response = client.post(url, {**data, "computation": "sessions_held"})
    assert "Ce contrat a déjà un indicateur avec ce code." in response.content.decode()


def test_the_yearly_review_exports_every_table_with_formulas_neutralised(
    login, coordinator, contract, indicators, territory
):
    bad = OrganisationFactory(territory=territory, name='=HYPERLINK("http://x")')
    SignatureFactory(contract=contract, organisation=bad)
    client = login(coordinator)
    pk = contract.pk
    html = client.get(reverse("evaluation:review", args=[pk]), {"annee": 2025}).content.decode()
    assert "Bilan annuel 2025" in html
    assert "Le plan d'action : non disponible." not in html  # the network app answers

    response = client.get(
        reverse("evaluation:review_table", args=[pk, "signataires", "csv"]), {"annee": 2025}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Structure"
    assert [row[0] for row in rows[1:] if "HYPERLINK" in row[0]] == ['\'=HYPERLINK("http://x")']

    response = client.get(reverse("evaluation:review_table", args=[pk, "tout", "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert "Tableau des résultats" in workbook.sheetnames
    cells = [row[0] for row in workbook["Signataires"].iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://x")' in cells
    assert (
        client.get(reverse("evaluation:review_table", args=[pk, "nope", "csv"])).status_code == 404
    )
    assert (
        client.get(reverse("evaluation:review_table", args=[pk, "resultats", "exe"])).status_code
        == 404
    )


def test_the_copil_pack_holds_the_pdf_and_the_tables(login, coordinator, contract, indicators):
    response = login(coordinator).get(reverse("evaluation:copil", args=[contract.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert any(name.endswith(".pdf") for name in names)
    assert any(name.endswith(".xlsx") for name in names)
    assert "tableaux/resultats.csv" in names
    assert "tableaux/signataires.csv" in names
    assert archive.read(next(n for n in names if n.endswith(".pdf"))).startswith(b"%PDF")


def test_the_json_review_moves_with_the_records(
    login, coordinator, contract, indicators, held_session, attend
):
    client = login(coordinator)
    url = reverse("evaluation:review_json", args=[contract.pk])
    [result] = client.get(url).json()["results"]
    assert result["code"] == "personnes-formees" and result["value"] == 0
    attend(held_session())
    [result] = client.get(url).json()["results"]
    assert result["value"] == 1
    assert result["progress"] == 0  # 1 of 200


def test_the_review_command_refuses_unknown_contracts_and_years(contract):
    with pytest.raises(CommandError, match="Contrat introuvable"):
        call_command("review", "inconnu", "--format", "json")
    with pytest.raises(CommandError, match="pas dans la période"):
        call_command("review", str(contract.pk), "--year", "2019")
    with pytest.raises(CommandError, match="--output"):
        call_command("review", str(contract.pk), "--format", "pdf")
    other = ContractFactory(territory=contract.territory, start_date=date(2020, 11, 25),
                            end_date=date(2023, 12, 31))  # fmt: skip
    out = io.StringIO()
    call_command("review", f"{contract.territory.slug}:2020-2023", stdout=out)
    assert f'"pk": {other.pk}' in out.getvalue()
