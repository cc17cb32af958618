from datetime import date
from decimal import Decimal

import pytest

from maillage.evaluation.models import Indicator
from maillage.network.models import Response, Survey
from maillage.network.survey_demo import load_survey_demo
from maillage.network.survey_services import survey_indicator_value, survey_results


@pytest.mark.django_db
def test_survey_demo_gives_100_percent_positive_impact_and_is_idempotent(demo):
    load_survey_demo()

    assert Survey.objects.count() == 3
    assert set(Survey.objects.values_list("status", flat=True)) == {Survey.Status.CLOSED}
    diagnostic = Survey.objects.get(kind=Survey.Kind.DIAGNOSTIC)
    assert diagnostic.responses.count() == 19
    impact = Survey.objects.get(title="Enquête d'impact 2025")
    assert impact.responses.count() == 25
    assert impact.previous.title == "Enquête d'impact 2024"
    assert Response.objects.filter(survey=impact.previous).count() == 20
    indicator = Indicator.objects.get(code="impact-positif")
    question = impact.questions.get(indicator=indicator)
    assert question.text == "Le contrat a eu un impact positif sur la prévention"
    assert survey_indicator_value(indicator, date(2025, 1, 1), date(2025, 12, 31)) == Decimal(100)
    results = {r.question.pk: r for r in survey_results(impact)}
    assert results[question.pk].positive_percent == 100
    assert results[question.pk].previous_positive_percent == 100
