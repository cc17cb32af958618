"""Attendance in a real browser: the trainer logs in, marks a half-day (one absent, the rest
with "tous présents" then a correction), sees the summary, downloads the attendance sheet."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from maillage.trainings.models import Attendance, TrainingSession

from ..trainings.factories import ModuleFactory, RegistrationFactory, SessionFactory
from .test_accessibility import AXE, assert_accessible


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def session(transactional_db, territory, organisation, trainer):
    module = ModuleFactory(
        territory=territory,
        title="Primo-accueil des victimes de violences sexistes et sexuelles",
        slug="primo-accueil",
        trainer_organisation=organisation,
    )
    day = timezone.localdate() - timedelta(days=1)
    session = SessionFactory(
        module=module,
        status=TrainingSession.Status.CONFIRMED,
        slots=[(day, time(9), time(12, 30)), (day, time(13, 30), time(17))],
    )
    session.trainers.add(trainer)
    for first, last in [("Sophie", "Martin"), ("Karim", "Benali")]:
        RegistrationFactory(session=session, first_name=first, last_name=last)
    return session


def test_a_trainer_marks_attendance_and_downloads_the_sheet(
    page, url, log_in, trainer, session, axe_source, outside_requests
):
    log_in(page, trainer)
    page.goto(url(f"/espace/formations/sessions/{session.pk}/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Présences et émargement").click()
    assert page.get_by_role("heading", name="Présences et émargement", level=1).is_visible()
    assert_accessible(page, axe_source)

    morning = page.locator(f"#demi-{session.first_slot.pk}")
    with page.expect_navigation():
        morning.get_by_role("button", name="Tous présents").click()
    assert page.get_by_text("Présences enregistrées").is_visible()

    morning = page.locator(f"#demi-{session.first_slot.pk}")
    morning.get_by_role("radio", name="En retard : Karim Benali").check()
    with page.expect_navigation():
        morning.get_by_role("button", name="Enregistrer les présences").click()
    statuses = dict(
        Attendance.objects.filter(slot=session.first_slot).values_list(
            "registration__first_name", "status"
        )
    )
    assert statuses == {"Sophie": "present", "Karim": "late"}
    summary = page.get_by_role("table", name="Demi-journées suivies par personne")
    assert summary.get_by_role("row", name="BENALI Karim").get_by_text("1 / 2").is_visible()

    sheet_link = page.get_by_role(
        "link", name="Feuille d'émargement à imprimer (PDF, toutes les demi-journées)"
    )
    response = page.request.get(url(sheet_link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert outside_requests == []
