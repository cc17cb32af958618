"""The review of the demo contract shows the results table of the press release — 16 sessions,
more than 200 people, about 80 structures, 5000 guides, 75 staff of 24 bars, 100 % positive —
each figure computed from the records (HTML, PDF read back with pdftotext, JSON, command)."""

import io
import json
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from maillage.core.models import Territory, User
from maillage.evaluation.models import Indicator, IndicatorValue
from maillage.evaluation.review import build_review

from ..conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(demo):
    return Territory.objects.get(slug="angers-loire-metropole").current_contract()


def results(review: dict) -> dict:
    return {row["code"]: row["value"] for row in review["results"]}


def pdf_text(content: bytes) -> str:
    """The PDF's text as pdftotext reads it, whitespace collapsed."""
    completed = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(completed.stdout.decode().split())


def html_results(html: str) -> dict:
    table = html.split('data-table="resultats"', 1)[1].split("</table>", 1)[0]
    return {
        code: int(value) for code, value in re.findall(r'data-value="([\w-]+)">\s*(\d+)', table)
    }


def assert_press_release(figures: dict) -> None:
    assert figures["sessions-primo-accueil"] == 16
    assert figures["personnes-formees"] > 200
    assert 75 <= figures["structures-touchees"] <= 85
    assert figures["guides-distribues"] == 5000
    assert figures["personnels-bars-formes"] == 75
    assert figures["bars-formes"] == 24


def test_the_demo_review_shows_the_press_release_results_as_html_pdf_and_json(contract, client):
    assert_press_release(results(build_review(contract)))
    indicators = Indicator.objects.filter(contract=contract).count()
    assert indicators >= 12
    assert IndicatorValue.objects.count() == 4

    login_with_second_factor(client, User.objects.get(email="coordination@demo.maillage.fr"))
    html = client.get(reverse("evaluation:review", args=[contract.pk])).content.decode()
    assert html.index("Tableau des résultats") < html.index("Par priorité")
    assert_press_release(html_results(html))
    assert html_results(html)["impact-positif"] == 100

    response = client.get(reverse("evaluation:review_pdf", args=[contract.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Sessions de formation « primo-accueil » réalisées (cumul) 16 sessions" in text
    people = re.search(r"Personnes formées au primo-accueil \(cumul\) (\d+) personnes", text)
    assert int(people.group(1)) > 200
    structures = re.search(r"ont été formées \(cumul\) (\d+) structures", text)
    assert 75 <= int(structures.group(1)) <= 85
    assert "distribués (cumul) 5000 exemplaires" in text
    assert "nocturne formés (cumul) 75 personnes" in text
    assert "personnel est formé (cumul) 24 bars" in text
    assert re.search(r"jugeant l.impact du contrat positif \(cumul\) 100 ?%", text)

    data = client.get(reverse("evaluation:review_json", args=[contract.pk])).json()
    assert_press_release(results(data))


def test_the_demo_review_shows_100_percent_of_signatories_judging_the_impact_positive(contract):
    from maillage.network.models import Answer

    assert results(build_review(contract))["impact-positif"] == 100
    # One signatory changes its answer to the impact question: the figure moves (24 of 25).
    answer = (
        Answer.objects.filter(
            question__indicator__code="impact-positif", question__survey__year=2025
        )
        .select_related("question")
        .first()
    )
    if answer.choice_id:
        answer.choice = answer.question.choices.filter(is_positive=False).first()
    else:
        answer.value = answer.question.positive_from - 1
    answer.save()
    assert results(build_review(contract))["impact-positif"] == 96


def test_the_review_command_writes_json_html_and_pdf(contract, tmp_path):
    out = io.StringIO()
    call_command("review", str(contract.pk), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert_press_release(results(data))
    assert data["signatories"]["count"] == 25

    out = io.StringIO()
    call_command(
        "review", "angers-loire-metropole:2024-2026", "--year", "2025", "--format", "json",
        stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue())["period"]["year"] == 2025

    html = tmp_path / "bilan.html"
    call_command("review", "angers-loire-metropole", "--format", "html", "--output", str(html),
                 stderr=io.StringIO())  # fmt: skip
    assert_press_release(html_results(html.read_text()))

    pdf = tmp_path / "bilan.pdf"
    call_command("review", "angers-loire-metropole", "--format", "pdf", "--output", str(pdf),
                 stderr=io.StringIO())  # fmt: skip
    assert "distribués (cumul) 5000 exemplaires" in pdf_text(pdf.read_bytes())
