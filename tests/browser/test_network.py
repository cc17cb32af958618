"""The action plan and the meetings in a real browser: the coordinator (with TOTP) updates an
action sheet's status and progress, adds a follow-up note, then records a decision of the
COPIL; both pages pass axe."""

from datetime import date

import pytest

from maillage.network.models import ActionSheet, Decision, FollowUpNote, Meeting

from ..factories import PriorityFactory
from ..network.factories import ActionSheetFactory, MeetingFactory
from .test_accessibility import AXE, assert_accessible


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def sheet(transactional_db, contract, organisation):
    priority = PriorityFactory(contract=contract, code="FORMER", title="Former les acteurs")
    return ActionSheetFactory(
        priority=priority,
        title="Formation primo-accueil des professionnels",
        pilot=organisation,
        status=ActionSheet.Status.TO_START,
        progress=0,
    )


@pytest.fixture
def copil(sheet, contract):
    return MeetingFactory(contract=contract, status=Meeting.Status.HELD)


def test_the_coordinator_updates_a_sheet_and_records_a_decision(
    page, url, log_in, coordinator, contract, sheet, copil, organisation, axe_source,
    outside_requests,
):  # fmt: skip
    # The first requests of a fresh live server import and compile a lot (7 s for the login
    # page on a busy machine): give this long journey more than the default 10 s.
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)
    log_in(page, coordinator)
    page.goto(url(f"/espace/plan/contrat/{contract.pk}/"))
    assert page.get_by_role("heading", name="Plan d'action", level=1).is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name=sheet.title).click()
    assert page.get_by_role("heading", name=sheet.title, level=1).is_visible()
    assert_accessible(page, axe_source)

    progress = page.locator("form", has=page.get_by_role("button", name="Enregistrer l'avancement"))
    progress.get_by_label("Statut").select_option(label="En cours")
    progress.get_by_label("Avancement (%)").fill("80")
    with page.expect_navigation():
        progress.get_by_role("button", name="Enregistrer l'avancement").click()
    assert page.get_by_text("Le statut et l'avancement sont enregistrés.").is_visible()
    sheet.refresh_from_db()
    assert (sheet.status, sheet.progress) == (ActionSheet.Status.IN_PROGRESS, 80)

    note = page.locator("form", has=page.get_by_role("button", name="Ajouter la note"))
    note.get_by_label("Note de suivi").fill("Deux sessions programmées au printemps.")
    with page.expect_navigation():
        note.get_by_role("button", name="Ajouter la note").click()
    assert page.get_by_text("Deux sessions programmées au printemps.").is_visible()
    assert FollowUpNote.objects.get().author == coordinator

    with page.expect_navigation():
        page.get_by_role("link", name="Réunions").click()
    with page.expect_navigation():
        page.get_by_role("link", name="COPIL").click()
    assert_accessible(page, axe_source)
    form = page.locator("form", has=page.get_by_role("button", name="Ajouter la décision"))
    form.get_by_label("Décision").fill("Programmer quatre sessions primo-accueil en 2026")
    form.get_by_label("Structure responsable").select_option(label=organisation.name)
    form.get_by_label("Échéance").fill("2026-02-28")
    with page.expect_navigation():
        form.get_by_role("button", name="Ajouter la décision").click()
    assert page.get_by_text("La décision est enregistrée.").is_visible()
    row = page.locator("tr", has_text="Programmer quatre sessions")
    assert row.get_by_role("cell", name=organisation.name).is_visible()
    decision = Decision.objects.get()
    assert (decision.meeting, decision.owner, decision.due_on) == (
        copil,
        organisation,
        date(2026, 2, 28),
    )
    assert outside_requests == []
