"""The evaluation in a real browser, on the demo data: the coordinator opens the contract's
dashboard (results table, progress bars, charts with their tables), then the review, and
downloads it as a PDF whose text holds the press release's figures. Both pages pass axe."""

import re
import subprocess
from pathlib import Path

import pytest

from maillage.core.models import Contract, Territory

from .test_accessibility import AXE, assert_accessible


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def territory(demo_snapshot, transactional_db):
    """The demo's territory, so that the fixtures' `coordinator` manages it."""
    return Territory.objects.get(slug="angers-loire-metropole")


@pytest.fixture
def demo(demo, territory):
    """The Angers demo's 2024 contract."""
    return Contract.objects.get(territory=territory, start_date__year=2024)


def result(page, code: str) -> int:
    text = page.locator(f'[data-table="resultats"] [data-value="{code}"]').inner_text()
    return int(re.match(r"\d+", text.strip()).group())


def test_the_coordinator_opens_the_dashboard_and_downloads_the_review(
    page, url, log_in, coordinator, demo, axe_source, outside_requests
):
    log_in(page, coordinator)
    page.goto(url("/espace/evaluation/"))
    page.get_by_role("link", name=re.compile(r"Angers Loire Métropole — .*2024-2026")).click()
    assert page.get_by_role("heading", name=re.compile("Tableau de bord")).is_visible()
    assert result(page, "sessions-primo-accueil") == 16
    assert result(page, "personnes-formees") > 200
    assert 75 <= result(page, "structures-touchees") <= 85
    assert result(page, "guides-distribues") == 5000
    assert result(page, "personnels-bars-formes") == 75
    assert result(page, "bars-formes") == 24
    assert page.locator("figure.chart svg").count() >= 3
    assert page.locator('[data-table="personnes-formees"] tbody tr').count() == 3  # 2024-2026
    assert_accessible(page, axe_source)

    page.get_by_role("link", name="Bilan du contrat").click()
    assert page.get_by_role("heading", name="Bilan du contrat 2024-2026").is_visible()
    assert_accessible(page, axe_source)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le bilan en PDF").click()
    assert download.value.suggested_filename == "bilan-angers-loire-metropole-2024-2026.pdf"
    text = subprocess.run(
        ["pdftotext", str(Path(download.value.path())), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    text = " ".join(text.split())
    assert "réalisées (cumul) 16 sessions" in text
    assert "distribués (cumul) 5000 exemplaires" in text
    assert "nocturne formés (cumul) 75 personnes" in text
    assert outside_requests == []
