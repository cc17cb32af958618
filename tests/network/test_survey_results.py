"""Results per question (counts, shares, charts with their tables), the comparison with the
previous year, the exports, and the figures read by the evaluation app."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maillage.evaluation.models import Indicator
from maillage.network.models import Answer, Response
from maillage.network.survey_services import (
    contract_surveys_summary,
    submit_response,
    survey_indicator_value,
    survey_results,
)

from ..factories import OrganisationFactory
from .survey_factories import InvitationFactory, build_survey, choice


def answer(survey, organisation, *, impact: str, scale: int, text: str = "") -> Response:
    q = survey.q
    invitation = InvitationFactory(survey=survey, organisation=organisation)
    satisfied = choice(q["accueil"], "Satisfaisant").pk
    return submit_response(
        token=invitation.token,
        answers={
            q["impact"].pk: choice(q["impact"], impact).pk,
            q["coordination"].pk: scale,
            q["actions"].pk: [choice(q["actions"], "Formations").pk],
            q["accueil"].pk: {row.pk: satisfied for row in q["accueil"].rows.all()},
            q["suggestions"].pk: text,
        },
    )


@pytest.fixture
def organisations(territory):
    return [OrganisationFactory(territory=territory, name=f"Structure {n}") for n in range(4)]


@pytest.fixture
def answered(contract, organisations):
    """2025: three positive answers and one negative; scale 5, 4, 4, 2."""
    survey = build_survey(contract, open=True, year=2025)
    answer(survey, organisations[0], impact="Tout à fait d'accord", scale=5, text="=SOMME(A1)")
    answer(survey, organisations[1], impact="Plutôt d'accord", scale=4)
    answer(survey, organisations[2], impact="Tout à fait d'accord", scale=4)
    answer(survey, organisations[3], impact="Pas d'accord", scale=2)
    return survey


def test_results_count_each_answer_and_its_share(answered):
    results = {r.question.pk: r for r in survey_results(answered)}
    impact = results[answered.q["impact"].pk]
    assert impact.answered == 4
    bars = {bar.label: (bar.count, bar.percent) for bar in impact.charts[0].bars}
    assert bars == {
        "Tout à fait d'accord": (2, 50),
        "Plutôt d'accord": (1, 25),
        "Pas d'accord": (1, 25),
    }
    assert impact.positive_percent == 75
    scale = results[answered.q["coordination"].pk]
    assert [bar.count for bar in scale.charts[0].bars] == [0, 1, 0, 2, 1]
    assert scale.positive_percent == 75
    matrix = results[answered.q["accueil"].pk]
    assert len(matrix.charts) == 2
    assert {bar.label: bar.percent for bar in matrix.charts[0].bars}["Satisfaisant"] == 100
    assert results[answered.q["suggestions"].pk].texts == ["=SOMME(A1)"]


def test_results_page_shows_svg_charts_with_their_tables(login, coordinator, answered):
    response = login(coordinator).get(reverse("network:survey_results", args=[answered.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") == 5  # single, scale, multiple, 2 matrix rows
    assert page.count("<table") == 5
    assert "75 % des structures répondantes ont une réponse positive" in page
    assert "4 structures ont répondu" in page
    assert "Réponses reçues : 4." in page
    assert "=SOMME(A1)" in page


def test_comparison_with_the_previous_year(login, coordinator, contract, organisations, answered):
    previous = build_survey(contract, open=True, year=2024, title="Impact 2024")
    answer(previous, organisations[0], impact="Pas d'accord", scale=2)
    answer(previous, organisations[1], impact="Tout à fait d'accord", scale=5)
    previous.status = previous.Status.CLOSED
    previous.save()
    answered.previous = previous
    answered.save()
    results = {r.question.pk: r for r in survey_results(answered)}
    impact = results[answered.q["impact"].pk]
    assert impact.previous_positive_percent == 50
    bars = {bar.label: bar.previous_percent for bar in impact.charts[0].bars}
    assert bars["Pas d'accord"] == 50
    page = login(coordinator).get(reverse("network:survey_results", args=[answered.pk]))
    content = page.content.decode()
    assert "Part en 2024" in content
    assert "(50 % en 2024)" in content


def test_csv_export_neutralises_formulas(login, coordinator, answered):
    response = login(coordinator).get(reverse("network:survey_export_csv", args=[answered.pk]))
    content = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Tout à fait d'accord;2;50" in content
    assert "'=SOMME(A1)" in content


def test_xlsx_export(login, coordinator, answered):
    response = login(coordinator).get(reverse("network:survey_export_xlsx", args=[answered.pk]))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Question"
    assert rows[2][:5] == [
        "Le contrat a eu un impact positif sur la prévention",
        None,
        "Plutôt d'accord",
        1,
        25,
    ]


@pytest.fixture
def indicator(contract, answered):
    indicator = Indicator.objects.create(
        contract=contract, code="impact-positif", title="Impact positif", unit="%"
    )
    answered.q["impact"].indicator = indicator
    answered.q["impact"].save()
    return indicator


def test_indicator_value_is_the_share_of_positive_answers(indicator):
    value = survey_indicator_value(indicator, date(2025, 1, 1), date(2025, 12, 31))
    assert value == Decimal("75.0")


def test_indicator_value_moves_when_an_answer_changes(indicator, answered):
    negative = Answer.objects.get(question=answered.q["impact"], choice__label="Pas d'accord")
    negative.choice = choice(answered.q["impact"], "Plutôt d'accord")
    negative.save()
    assert survey_indicator_value(indicator, date(2025, 1, 1), date(2025, 12, 31)) == 100


def test_indicator_value_from_a_scale(contract, answered):
    indicator = Indicator.objects.create(
        contract=contract, code="coordination", title="C", unit="%"
    )
    answered.q["coordination"].indicator = indicator
    answered.q["coordination"].save()
    assert survey_indicator_value(indicator, date(2025, 1, 1), date(2025, 12, 31)) == 75


def test_indicator_value_is_none_outside_the_period_or_without_answers(indicator, contract):
    assert survey_indicator_value(indicator, date(2019, 1, 1), date(2019, 12, 31)) is None
    empty = Indicator.objects.create(contract=contract, code="vide", title="Vide", unit="%")
    assert survey_indicator_value(empty, date(2025, 1, 1), date(2025, 12, 31)) is None


def test_contract_surveys_summary(contract, answered):
    build_survey(contract, year=2025, title="Brouillon")  # drafts are left out
    summary = contract_surveys_summary(contract, 2025)
    assert len(summary) == 1
    item = summary[0]
    assert item["survey"] == answered
    assert item["answered"] == 4 and item["invited"] == 4
    impact = item["questions"][0]
    assert impact["text"] == "Le contrat a eu un impact positif sur la prévention"
    assert impact["rows"][0] == ("Tout à fait d'accord", 2, 50)
    assert contract_surveys_summary(contract, 2019) == []
