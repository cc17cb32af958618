"""The training statistics in a real browser, on the demo data: the coordinator reads the first
contract's figures (16 "primo-accueil" sessions, more than 200 people, about 80 structures, 75
staff of 24 bars), filters them, downloads the CSV; the public page of the labelled venues
sets no cookie and fetches nothing from elsewhere. Both pass axe (WCAG 2.1 AA)."""

import re
from pathlib import Path

import pytest

from maillage.core.models import Territory

from .test_accessibility import AXE, assert_accessible


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def territory(demo_snapshot, transactional_db):
    """The demo's territory, so that the fixtures' `coordinator` manages it."""
    return Territory.objects.get(slug="angers-loire-metropole")


@pytest.fixture
def demo(demo, transactional_db):
    return demo


def figure(page, key: str) -> int:
    return int(page.locator(f'[data-figure="{key}"]').inner_text())


def module_row(page, title: str) -> list[int]:
    row = page.locator('[data-table="modules"] tr', has=page.get_by_role("rowheader", name=title))
    return [int(cell) for cell in row.locator("td").all_inner_texts()]


def test_the_coordinator_reads_the_first_contracts_figures(
    page, url, log_in, coordinator, demo, axe_source, outside_requests
):
    log_in(page, coordinator)
    page.goto(url("/espace/formations/statistiques/"))
    assert page.get_by_role("heading", name="Statistiques des formations").is_visible()
    sessions, people, structures, *_ = module_row(
        page, "Primo-accueil des victimes de violences sexistes et sexuelles"
    )
    assert sessions == 16
    assert people > 200
    assert 75 <= structures <= 85
    assert figure(page, "venues_trained") == 24
    assert figure(page, "venue_staff_trained") == 75
    assert_accessible(page, axe_source)

    page.get_by_label("Module", exact=True).select_option(
        label="Primo-accueil des victimes de violences sexistes et sexuelles"
    )
    page.get_by_label("Du", exact=True).fill("2021-11-01")
    page.get_by_label("Au", exact=True).fill("2024-10-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrer").click()
    assert figure(page, "sessions_held") == 16
    assert figure(page, "people_trained") == people
    assert figure(page, "structures_reached") == structures

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert re.search(rf"^Total;Toutes les formations;16;{people};{structures};0;0", text, re.M)
    assert outside_requests == []


def test_the_labelled_venues_page_sets_no_cookie(page, url, demo, axe_source, outside_requests):
    page.goto(url("/formations/lieux-engages/"))
    assert page.get_by_role("heading", name="Lieux engagés").is_visible()
    assert page.locator("[data-venue]").count() == 20
    assert_accessible(page, axe_source)
    assert page.context.cookies() == []
    assert outside_requests == []
